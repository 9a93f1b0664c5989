package dev.voicebridge.load;

import java.util.Arrays;
import java.util.Base64;

/**
 * When each caller frame was sent, reached the fake upstream as an append, and came back to the
 * caller as Twilio media. A frame is identified by its own audio: the first 12 bytes of every
 * 160-byte mu-law payload carry the call's number and the frame's sequence number, and the rest
 * is mu-law silence. The bridge must pass the payload through untouched for the frame to be
 * recognised at all, so a frame it altered counts as lost.
 */
final class FrameLog {

	static final int FRAME_BYTES = 160;

	private static final String SILENCE_TAIL;

	static {
		byte[] tail = new byte[FRAME_BYTES - 12];
		Arrays.fill(tail, (byte) 0xFF);
		SILENCE_TAIL = Base64.getEncoder().encodeToString(tail);
	}

	private final long[][] sent;

	private final long[][] upstream;

	private final long[][] back;

	private final int[] lastBack;

	private final int[] reordered;

	private final int[] unknown = new int[1];

	FrameLog(int calls, int framesPerCall) {
		this.sent = new long[calls][framesPerCall];
		this.upstream = new long[calls][framesPerCall];
		this.back = new long[calls][framesPerCall];
		this.lastBack = new int[calls];
		Arrays.fill(this.lastBack, -1);
		this.reordered = new int[calls];
	}

	int capacity() {
		return this.sent[0].length;
	}

	/** The base64 payload of frame {@code seq} of call {@code call}. */
	static String payload(int call, int seq) {
		byte[] head = new byte[12];
		putInt(head, 0, 0x5642_4C47); // "VBLG": a frame of this load test
		putInt(head, 4, call);
		putInt(head, 8, seq);
		return Base64.getEncoder().encodeToString(head) + SILENCE_TAIL;
	}

	void sent(int call, int seq, long nanos) {
		this.sent[call][seq] = nanos;
	}

	void upstream(String audio, long nanos) {
		long id = identify(audio);
		if (id < 0) {
			synchronized (this.unknown) {
				this.unknown[0]++;
			}
			return;
		}
		this.upstream[(int) (id >>> 32)][(int) id] = nanos;
	}

	/** Called on the caller's receiving thread, one at a time per call. */
	void back(String audio, long nanos) {
		long id = identify(audio);
		if (id < 0) {
			synchronized (this.unknown) {
				this.unknown[0]++;
			}
			return;
		}
		int call = (int) (id >>> 32);
		int seq = (int) id;
		this.back[call][seq] = nanos;
		if (seq < this.lastBack[call]) {
			this.reordered[call]++;
		}
		else {
			this.lastBack[call] = seq;
		}
	}

	/** {@code call << 32 | seq}, or -1 if the payload is not one of ours or is out of range. */
	private long identify(String audio) {
		if (audio.length() < 16) {
			return -1;
		}
		byte[] head;
		try {
			head = Base64.getDecoder().decode(audio.substring(0, 16));
		}
		catch (IllegalArgumentException ex) {
			return -1;
		}
		if (getInt(head, 0) != 0x5642_4C47 || !SILENCE_TAIL.equals(audio.substring(16))) {
			return -1;
		}
		int call = getInt(head, 4);
		int seq = getInt(head, 8);
		if (call < 0 || call >= this.sent.length || seq < 0 || seq >= capacity()) {
			return -1;
		}
		return ((long) call << 32) | seq;
	}

	/**
	 * Latencies of the frames sent in {@code [from, to)}, with losses and reorders. Read after
	 * the calls have ended and their threads have been joined.
	 */
	Window window(int calls, long from, long to) {
		int n = 0;
		for (int c = 0; c < calls; c++) {
			for (long t : this.sent[c]) {
				if (t >= from && t < to) {
					n++;
				}
			}
		}
		long[] in = new long[n];
		long[] out = new long[n];
		long[] round = new long[n];
		int inCount = 0;
		int outCount = 0;
		int roundCount = 0;
		int lostUp = 0;
		int lostBack = 0;
		int reorders = 0;
		for (int c = 0; c < calls; c++) {
			reorders += this.reordered[c];
			for (int s = 0; s < capacity(); s++) {
				long t = this.sent[c][s];
				if (t < from || t >= to || t == 0) {
					continue;
				}
				long u = this.upstream[c][s];
				long b = this.back[c][s];
				if (u == 0) {
					lostUp++;
				}
				else {
					in[inCount++] = u - t;
				}
				if (b == 0) {
					lostBack++;
				}
				else {
					round[roundCount++] = b - t;
					if (u != 0) {
						out[outCount++] = b - u;
					}
				}
			}
		}
		return new Window(n, lostUp, lostBack, reorders, this.unknown[0], Percentiles.of(in, inCount),
				Percentiles.of(out, outCount), Percentiles.of(round, roundCount));
	}

	/**
	 * Round trips of the messages sent in {@code [from, to)} to a server that echoes them, with
	 * losses and reorders; nothing passes an upstream, so {@code inbound} and {@code outbound} are
	 * empty and every loss is a {@code lostBack}. Read after the connections have closed.
	 */
	Window echoes(int connections, long from, long to) {
		long[] round = new long[connections * capacity()];
		int count = 0;
		int frames = 0;
		int lost = 0;
		int reorders = 0;
		for (int c = 0; c < connections; c++) {
			reorders += this.reordered[c];
			for (int s = 0; s < capacity(); s++) {
				long t = this.sent[c][s];
				if (t < from || t >= to || t == 0) {
					continue;
				}
				frames++;
				long b = this.back[c][s];
				if (b == 0) {
					lost++;
				}
				else {
					round[count++] = b - t;
				}
			}
		}
		Percentiles none = Percentiles.of(round, 0);
		return new Window(frames, 0, lost, reorders, this.unknown[0], none, none, Percentiles.of(round, count));
	}

	/** The value of the JSON string that follows {@code key} (which includes the opening quote). */
	static String stringValue(String json, String key) {
		int at = json.indexOf(key);
		if (at < 0) {
			return null;
		}
		int from = at + key.length();
		int end = json.indexOf('"', from);
		return (end < 0) ? null : json.substring(from, end);
	}

	private static void putInt(byte[] bytes, int at, int value) {
		bytes[at] = (byte) (value >>> 24);
		bytes[at + 1] = (byte) (value >>> 16);
		bytes[at + 2] = (byte) (value >>> 8);
		bytes[at + 3] = (byte) value;
	}

	private static int getInt(byte[] bytes, int at) {
		return ((bytes[at] & 0xFF) << 24) | ((bytes[at + 1] & 0xFF) << 16) | ((bytes[at + 2] & 0xFF) << 8)
				| (bytes[at + 3] & 0xFF);
	}

	/** What happened to the frames of one measured window. */
	record Window(int frames, int lostUpstream, int lostBack, int reordered, int unrecognised, Percentiles inbound,
			Percentiles outbound, Percentiles roundTrip) {
	}

	/** Latency percentiles in milliseconds. */
	record Percentiles(int count, double p50, double p99, double p999, double max) {

		static Percentiles of(long[] nanos, int count) {
			if (count == 0) {
				return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
			}
			long[] sorted = Arrays.copyOf(nanos, count);
			Arrays.sort(sorted);
			return new Percentiles(count, ms(sorted, 0.50), ms(sorted, 0.99), ms(sorted, 0.999),
					sorted[count - 1] / 1e6);
		}

		private static double ms(long[] sorted, double quantile) {
			int index = (int) Math.ceil(quantile * sorted.length) - 1;
			return sorted[Math.max(0, index)] / 1e6;
		}

	}

}

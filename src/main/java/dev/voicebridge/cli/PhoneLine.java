package dev.voicebridge.cli;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The phone's side of a Media Stream, as Twilio plays it: a caller frame every 20 ms (the
 * speech, else silence), the agent's audio played out at the phone's pace, each mark answered
 * once the audio before it has played, a {@code clear} dropping what is left unplayed. Its
 * {@link #tick} is driven by one clock thread; the socket's messages arrive on another.
 */
final class PhoneLine extends WebSocketListener {

	static final int FRAME = 160;

	static final long FRAME_NANOS = 20_000_000;

	private static final byte SILENCE = (byte) 0xFF;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Script script;

	private final String streamSid;

	private final String callSid;

	private final String accountSid;

	private final Map<String, String> parameters;

	private final CountDownLatch answered = new CountDownLatch(1);

	private final CountDownLatch ended = new CountDownLatch(1);

	private final byte[] silence = new byte[FRAME];

	private final byte[] frame = new byte[FRAME];

	// the agent's audio not played yet, the marks behind it, and what has played
	private final ArrayDeque<byte[]> unplayed = new ArrayDeque<>();

	private final ArrayDeque<PendingMark> marks = new ArrayDeque<>();

	private final ByteArrayOutputStream played = new ByteArrayOutputStream();

	private int headOffset;

	private long received;

	private final CallReport report;

	private WebSocket socket;

	private int sequence;

	private int tick;

	/** Where the speech is when the caller talks, or -1 before it starts. */
	private int spoken = -1;

	private int keysPressed;

	private int doneAtTick = -1;

	private int lastAudibleTick;

	/** Where the last audible audio received ends: the agent is quiet once it has played. */
	private long audibleUntil;

	PhoneLine(Script script, String streamSid, String callSid, String accountSid, Map<String, String> parameters,
			CallReport report) {
		this.script = script;
		this.streamSid = streamSid;
		this.callSid = callSid;
		this.accountSid = accountSid;
		this.parameters = parameters;
		this.report = report;
		Arrays.fill(this.silence, SILENCE);
	}

	/** What the caller does: the speech, when it starts, the keys, how long it waits for the agent. */
	record Script(byte[] speech, int bargeInAfterFrames, String keys, int waitFrames, int maxFrames) {
	}

	private record PendingMark(String name, long position) {
	}

	@Override
	public synchronized void onOpen(WebSocket webSocket, Response response) {
		this.report.opened();
		webSocket.send(JSON.createObjectNode().put("event", "connected").put("protocol", "Call").put("version", "1.0.0")
			.toString());
		ObjectNode start = message("start");
		ObjectNode body = start.putObject("start");
		body.put("accountSid", this.accountSid).put("streamSid", this.streamSid).put("callSid", this.callSid);
		body.putArray("tracks").add("inbound");
		body.putObject("mediaFormat").put("encoding", "audio/x-mulaw").put("sampleRate", 8000).put("channels", 1);
		ObjectNode custom = body.putObject("customParameters");
		this.parameters.forEach(custom::put);
		webSocket.send(start.toString());
		this.report.started();
		// the clock's first frame goes out after start, as Twilio's does
		this.socket = webSocket;
		this.answered.countDown();
	}

	@Override
	public void onMessage(WebSocket webSocket, String text) {
		JsonNode message;
		try {
			message = JSON.readTree(text);
		}
		catch (RuntimeException ex) {
			this.report.unreadable();
			return;
		}
		synchronized (this) {
			switch (message.path("event").asString("")) {
				case "media" -> {
					byte[] audio = Base64.getDecoder().decode(message.path("media").path("payload").asString(""));
					if (audio.length > 0) {
						this.unplayed.add(audio);
						this.received += audio.length;
						if (audible(audio, 0, audio.length)) {
							this.audibleUntil = this.received;
						}
					}
					this.report.agentAudio(audio.length);
				}
				case "mark" -> this.marks.add(new PendingMark(message.path("mark").path("name").asString(""),
						this.received));
				case "clear" -> {
					long cut = this.received - this.played.size();
					this.audibleUntil = Math.min(this.audibleUntil, this.played.size());
					this.unplayed.clear();
					this.headOffset = 0;
					this.received = this.played.size();
					this.report.cleared(cut);
					// Twilio answers the marks of the audio it dropped at once
					while (!this.marks.isEmpty()) {
						answer(this.marks.poll());
					}
				}
				default -> this.report.other();
			}
		}
	}

	@Override
	public void onClosing(WebSocket webSocket, int code, String reason) {
		this.report.closedByService(code, reason);
		webSocket.close(1000, null);
		this.ended.countDown();
	}

	@Override
	public void onClosed(WebSocket webSocket, int code, String reason) {
		this.ended.countDown();
	}

	@Override
	public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
		this.report.failed((response != null) ? "HTTP " + response.code() + " instead of 101 Switching Protocols"
				: failure.toString());
		this.answered.countDown();
		this.ended.countDown();
	}

	/** One 20 ms step of the phone: a caller frame out, 20 ms of agent audio played; false once hung up. */
	synchronized boolean tick() {
		if (this.socket == null || this.ended.getCount() == 0) {
			return this.ended.getCount() != 0;
		}
		this.tick++;
		sendCallerFrame();
		play();
		if (this.doneAtTick >= 0 && this.played.size() >= this.audibleUntil
				&& this.tick - Math.max(this.lastAudibleTick, this.doneAtTick) >= this.script.waitFrames()) {
			hangUp("the caller hung up after the agent had been quiet for " + this.script.waitFrames() * 20 + " ms");
			return false;
		}
		if (this.tick >= this.script.maxFrames()) {
			hangUp("the caller hung up at the longest call allowed (--max-duration)");
			return false;
		}
		return true;
	}

	private void sendCallerFrame() {
		byte[] speech = this.script.speech();
		if (this.spoken < 0 && this.played.size() >= (long) this.script.bargeInAfterFrames() * FRAME) {
			this.spoken = 0;
			this.report.speaking(this.script.bargeInAfterFrames() > 0);
		}
		byte[] payload = this.silence;
		if (this.spoken >= 0 && this.spoken < speech.length) {
			int length = Math.min(FRAME, speech.length - this.spoken);
			System.arraycopy(speech, this.spoken, this.frame, 0, length);
			Arrays.fill(this.frame, length, FRAME, SILENCE);
			this.spoken += length;
			payload = this.frame;
			this.report.spoke();
		}
		ObjectNode media = message("media");
		media.putObject("media").put("track", "inbound").put("chunk", Integer.toString(this.tick))
			.put("timestamp", Integer.toString(this.tick * 20)).put("payload", Base64.getEncoder().encodeToString(payload));
		this.socket.send(media.toString());
		this.report.callerFrame();
		if (this.spoken >= speech.length && this.doneAtTick < 0) {
			pressKeys();
		}
	}

	/** After the speech, one key each 200 ms, as a hand presses them. */
	private void pressKeys() {
		String keys = this.script.keys();
		if (this.keysPressed < keys.length()) {
			if (this.tick % 10 == 0) {
				ObjectNode dtmf = message("dtmf");
				dtmf.putObject("dtmf").put("track", "inbound_track")
					.put("digit", String.valueOf(keys.charAt(this.keysPressed++)));
				this.socket.send(dtmf.toString());
				this.report.pressed();
			}
			return;
		}
		this.doneAtTick = this.tick;
	}

	private void play() {
		int wanted = FRAME;
		boolean audible = false;
		while (wanted > 0 && !this.unplayed.isEmpty()) {
			byte[] head = this.unplayed.peek();
			int length = Math.min(wanted, head.length - this.headOffset);
			audible |= audible(head, this.headOffset, this.headOffset + length);
			this.played.write(head, this.headOffset, length);
			this.headOffset += length;
			wanted -= length;
			if (this.headOffset == head.length) {
				this.unplayed.poll();
				this.headOffset = 0;
			}
		}
		if (audible) {
			this.lastAudibleTick = this.tick;
		}
		while (!this.marks.isEmpty() && this.marks.peek().position() <= this.played.size()) {
			answer(this.marks.poll());
		}
	}

	/** Whether any sample is other than mu-law's two zeros, 0xFF and 0x7F. */
	private static boolean audible(byte[] audio, int from, int to) {
		for (int i = from; i < to; i++) {
			if ((audio[i] & 0x7F) != 0x7F) {
				return true;
			}
		}
		return false;
	}

	private void answer(PendingMark mark) {
		ObjectNode answer = message("mark");
		answer.putObject("mark").put("name", mark.name());
		this.socket.send(answer.toString());
		this.report.markAnswered();
	}

	private void hangUp(String how) {
		ObjectNode stop = message("stop");
		stop.putObject("stop").put("accountSid", this.accountSid).put("callSid", this.callSid);
		this.socket.send(stop.toString());
		this.report.hungUp(how);
		this.socket.close(1000, "caller hung up");
	}

	private ObjectNode message(String event) {
		return JSON.createObjectNode().put("event", event).put("sequenceNumber", Integer.toString(++this.sequence))
			.put("streamSid", this.streamSid);
	}

	/** Waits for the upgrade's outcome, at most {@code millis}: false when there was none. */
	boolean awaitAnswer(long millis) throws InterruptedException {
		return this.answered.await(millis, TimeUnit.MILLISECONDS);
	}

	/** Waits for both sides' closes once the call has ended, at most {@code millis}. */
	boolean awaitEnd(long millis) throws InterruptedException {
		return this.ended.await(millis, TimeUnit.MILLISECONDS);
	}

	boolean ended() {
		return this.ended.getCount() == 0;
	}

	synchronized byte[] recording() {
		return this.played.toByteArray();
	}

}

package dev.voicebridge.call;

import java.util.ArrayDeque;

import dev.voicebridge.agent.Base64Audio;
import dev.voicebridge.agent.Interruption;

/**
 * Knows how much agent audio the caller has actually heard. Each agent delta goes out whole, and
 * a numbered mark follows the delta that brings the unmarked audio to {@value #MARK_INTERVAL_BYTES}
 * bytes (100 ms) or more, and the end of every response; Twilio echoes a mark once the audio
 * before it has played. Realistic deltas (100 to 500 ms) get a mark each. Not thread-safe: its call guards it.
 */
final class PlaybackClock {

	/** 100 ms of 8 kHz mu-law. */
	static final int MARK_INTERVAL_BYTES = 100 * Base64Audio.BYTES_PER_MS;

	/** Marks kept while Twilio has not echoed them; beyond this the oldest are forgotten. */
	static final int MAX_PENDING_MARKS = 4096;

	private final ArrayDeque<PendingMark> pending = new ArrayDeque<>();

	private String sendingItem;

	private long sendingItemBytes;

	private int unmarkedBytes;

	private long lastMark;

	private String playedItem;

	private long playedItemBytes;

	private long lastPlayed;

	/** Bytes that can still be sent before a mark is due; zero or less when one is. */
	int roomBeforeMark() {
		return MARK_INTERVAL_BYTES - this.unmarkedBytes;
	}

	/** Records audio of an item sent to the caller. */
	void sent(String itemId, int bytes) {
		if (!itemId.equals(this.sendingItem)) {
			this.sendingItem = itemId;
			this.sendingItemBytes = 0;
		}
		this.sendingItemBytes += bytes;
		this.unmarkedBytes += bytes;
	}

	/** Whether audio was sent since the last mark. */
	boolean hasUnmarkedAudio() {
		return this.unmarkedBytes > 0;
	}

	/** Numbers a mark placed after the audio sent so far; its name is the returned number. */
	long mark() {
		long number = ++this.lastMark;
		if (this.pending.size() == MAX_PENDING_MARKS) {
			this.pending.removeFirst();
		}
		this.pending.addLast(new PendingMark(number, this.sendingItem, this.sendingItemBytes));
		this.unmarkedBytes = 0;
		return number;
	}

	/** Twilio echoed a mark: everything up to it has been heard. Marks we never sent are ignored. */
	void played(String markName) {
		long number = parse(markName);
		if (number <= 0 || number > this.lastMark) {
			return;
		}
		while (!this.pending.isEmpty() && this.pending.peekFirst().number() <= number) {
			PendingMark mark = this.pending.removeFirst();
			this.playedItem = mark.itemId();
			this.playedItemBytes = mark.itemBytes();
			this.lastPlayed = mark.number();
		}
	}

	/** Whether agent audio was sent that the caller has not been confirmed to have heard. */
	boolean isPlaying() {
		return !this.pending.isEmpty() || this.unmarkedBytes > 0;
	}

	/**
	 * The caller spoke over the agent: says which item was playing and how much of it was heard,
	 * and forgets the unplayed audio (the caller's side is cleared). Null when nothing was playing.
	 */
	Interruption interrupt() {
		if (!isPlaying()) {
			return null;
		}
		String playing = this.pending.isEmpty() ? this.sendingItem : this.pending.peekFirst().itemId();
		long heard = playing.equals(this.playedItem) ? this.playedItemBytes : 0;
		long sent = playing.equals(this.sendingItem) ? this.sendingItemBytes : Long.MAX_VALUE;
		this.pending.clear();
		this.unmarkedBytes = 0;
		return new Interruption(playing, Math.min(heard, sent) / Base64Audio.BYTES_PER_MS);
	}

	/** The number of the last mark placed (0 before any). */
	long lastMark() {
		return this.lastMark;
	}

	/** Whether the audio before a mark has been heard. */
	boolean hasPlayed(long mark) {
		return this.lastPlayed >= mark;
	}

	int pendingMarks() {
		return this.pending.size();
	}

	private static long parse(String name) {
		if (name == null || name.isEmpty() || name.length() > 18) {
			return -1;
		}
		long value = 0;
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

	private record PendingMark(long number, String itemId, long itemBytes) {
	}

}

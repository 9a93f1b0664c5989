package dev.voicebridge.cli;

import java.io.PrintStream;

/** What happened on one call, counted as it happens and told at the end. */
final class CallReport {

	private static final double BYTES_PER_SECOND = PhoneAudio.RATE;

	private long openedAt;

	private long startedAt;

	private long firstAudioAt;

	private int callerFrames;

	private int spokenFrames;

	private boolean bargedIn;

	private int keys;

	private int agentMessages;

	private long agentBytes;

	private int marksAnswered;

	private int clears;

	private int bargeIns;

	private long cutBytes;

	private int others;

	private int unreadable;

	private String hungUp;

	private int closeCode = -1;

	private String closeReason;

	private String failure;

	synchronized void opened() {
		this.openedAt = System.nanoTime();
	}

	synchronized void started() {
		this.startedAt = System.nanoTime();
	}

	synchronized void callerFrame() {
		this.callerFrames++;
	}

	synchronized void speaking(boolean overTheAgent) {
		this.bargedIn = overTheAgent;
	}

	synchronized void spoke() {
		this.spokenFrames++;
	}

	synchronized void pressed() {
		this.keys++;
	}

	synchronized void agentAudio(int bytes) {
		if (this.agentBytes == 0 && bytes > 0) {
			this.firstAudioAt = System.nanoTime();
		}
		this.agentMessages++;
		this.agentBytes += bytes;
	}

	synchronized void markAnswered() {
		this.marksAnswered++;
	}

	/** A {@code clear}: a barge-in when it cut audio still to play. */
	synchronized void cleared(long cut) {
		this.clears++;
		if (cut > 0) {
			this.bargeIns++;
			this.cutBytes += cut;
		}
	}

	synchronized void other() {
		this.others++;
	}

	synchronized void unreadable() {
		this.unreadable++;
	}

	synchronized void hungUp(String how) {
		this.hungUp = how;
	}

	synchronized void closedByService(int code, String reason) {
		this.closeCode = code;
		this.closeReason = reason;
	}

	synchronized void failed(String why) {
		if (this.failure == null) {
			this.failure = why;
		}
	}

	synchronized long openedAt() {
		return this.openedAt;
	}

	/** Prints the call's account and answers why it failed, or null when it worked. */
	synchronized String print(PrintStream out, String keysPressed, boolean bargeInAsked) {
		double spoken = this.spokenFrames * 0.02;
		out.printf("caller    %d frames (%.1f s), %.1f s of them speech%s%s%n", this.callerFrames, this.callerFrames * 0.02,
				spoken, this.bargedIn ? ", started over the agent" : "",
				(this.keys > 0) ? "; keys " + keysPressed.substring(0, this.keys) + " pressed" : "");
		String first = (this.firstAudioAt > 0) ? String.format(", the first %d ms after start",
				(this.firstAudioAt - this.startedAt) / 1_000_000) : "";
		out.printf("agent     %.1f s of audio in %d messages%s; %d marks answered%n", this.agentBytes / BYTES_PER_SECOND,
				this.agentMessages, first, this.marksAnswered);
		out.printf("barge-ins %d%s%n", this.bargeIns, (this.bargeIns > 0) ? String.format(
				" (%d clears cut %.1f s of the agent's audio before it played)", this.clears, this.cutBytes / BYTES_PER_SECOND)
				: (this.clears > 0) ? " (" + this.clears + " clears with nothing left to play)" : "");
		if (this.others + this.unreadable > 0) {
			out.printf("other     %d messages of other events, %d unreadable%n", this.others, this.unreadable);
		}
		String closed = (this.closeCode >= 0) ? "the service closed the stream with " + this.closeCode
				+ ((this.closeReason != null && !this.closeReason.isEmpty()) ? " " + this.closeReason : "") : null;
		if (this.hungUp != null) {
			out.println("ended     " + this.hungUp
					+ ((this.closeCode >= 0) ? "; the service answered the close with " + this.closeCode : ""));
		}
		else if (closed != null) {
			out.println("ended     " + closed + " (the service ended the call)");
		}
		if (this.failure != null) {
			return "the stream failed: " + this.failure;
		}
		if (this.hungUp == null && this.closeCode != 1000) {
			return "the service closed the stream with " + this.closeCode + " " + this.closeReason;
		}
		if (bargeInAsked && !this.bargedIn) {
			return "the agent never talked long enough for the caller to start over it (--barge-in-after)";
		}
		if (this.agentBytes == 0) {
			return "no audio came from the agent";
		}
		return null;
	}

}

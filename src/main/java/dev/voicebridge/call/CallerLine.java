package dev.voicebridge.call;

/**
 * The caller's side of a call: the Twilio media stream, as the call sees it. Sends are
 * serialised and bounded by the implementation; a send to a closed line is dropped.
 */
public interface CallerLine {

	/** Learns the stream's id from Twilio's {@code start}; sends need it. */
	void begin(String streamSid);

	/** Agent audio, base64 mu-law, exactly as received from the agent. */
	void sendMedia(String payload);

	/** A named mark; Twilio echoes it once the audio before it has played. */
	void sendMark(String name);

	/** Tells Twilio to drop the agent audio it has buffered but not played. */
	void sendClear();

	/** Closes the stream with a sendable close code; idempotent. */
	void close(int code, String reason);

}

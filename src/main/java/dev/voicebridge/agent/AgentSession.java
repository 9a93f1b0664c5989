package dev.voicebridge.agent;

import java.util.List;
import java.util.Map;

import dev.voicebridge.profiles.CallProfile;

/**
 * One call's agent. Every method is called in the call's order ({@link SerialEvents}), one at a
 * time, so implementations keep their state without locks.
 */
public interface AgentSession {

	/**
	 * Twilio's {@code start} arrived: the call's identity, its profile (what the agent is told,
	 * its voice, its upstream) and its custom parameters are known.
	 */
	void begin(String callSid, CallProfile profile, Map<String, String> parameters);

	/** Caller audio, base64 mu-law exactly as Twilio sent it; only called after {@link AgentListener#onReady()}. */
	void appendAudio(String payload);

	/**
	 * The caller spoke over the agent: stop talking. {@code cut} says what the caller heard of
	 * the playing item, or is null when no audio was playing.
	 */
	void interrupt(Interruption cut);

	/** Ends the agent; idempotent. No listener callbacks follow. */
	void close();

	/**
	 * The caller typed {@code digits} on the keypad (one entry, in order): the agent should act on
	 * them as it would on words.
	 */
	default void keypad(String digits) {
	}

	/**
	 * The call must end (its time is up): the agent says {@code goodbye}, then asks for the end
	 * through {@link AgentListener#onCallAction}.
	 */
	void sayGoodbye(String goodbye);

	/** What was said, as the caller heard it; complete once the session is closed. */
	default List<Turn> transcript() {
		return List.of();
	}

}

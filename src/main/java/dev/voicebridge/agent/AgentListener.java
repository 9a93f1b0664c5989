package dev.voicebridge.agent;

/**
 * What an {@link AgentSession} tells its call, always in the call's order ({@link SerialEvents}).
 */
public interface AgentListener {

	/** The agent can take caller audio; audio held until now is flushed in order. */
	void onReady();

	/** Agent audio for the caller: base64 mu-law of one assistant item, passed on unchanged. */
	void onAudio(String itemId, String payload);

	/** The current response has no more audio. */
	void onAudioDone();

	/** The caller started speaking (barge-in if agent audio is still playing). */
	void onSpeechStarted();

	/**
	 * The agent asked to end or transfer the call. It carries out the action once the audio the
	 * agent sends next (its goodbye) has played, or after a short wait if none comes.
	 */
	void onCallAction(CallAction action);

	/** The agent cannot go on (refused connect, dropped socket, fatal error); the call falls back. */
	void onFailure(String reason);

	/** The upstream billed these tokens for a response. */
	default void onUsage(TokenUsage usage) {
	}

}

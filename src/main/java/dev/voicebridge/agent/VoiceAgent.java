package dev.voicebridge.agent;

/**
 * The far side of a call: something that listens to the caller and talks back.
 */
public interface VoiceAgent {

	/** Short, bounded name used as the {@code agent} metric tag: {@code echo}, {@code openai}. */
	String name();

	/**
	 * Starts the agent for one call as soon as the caller's stream opens (before Twilio's
	 * {@code start}), so its connection is under way while the call sets up. Called in the
	 * call's order; the agent delivers every listener callback through {@code events}, or
	 * directly from within a call of one of its session's methods.
	 */
	AgentSession open(AgentListener listener, SerialEvents events);

	/**
	 * Runs this agent's per-frame code (no connection, no call) until the JIT has compiled it;
	 * called once before the instance reports ready.
	 */
	default void warmUp() {
	}

}

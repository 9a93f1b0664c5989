package dev.voicebridge.agent;

import java.util.Map;

import dev.voicebridge.profiles.CallProfile;

/**
 * The embedded default: plays the caller's own audio straight back, the classic audio-path
 * test. Proves the webhook, the upgrade and both media directions before any key is set.
 */
public final class EchoAgent implements VoiceAgent {

	static final String ITEM_ID = "echo";

	@Override
	public String name() {
		return "echo";
	}

	@Override
	public AgentSession open(AgentListener listener, SerialEvents events) {
		listener.onReady();
		return new Session(listener);
	}

	private static final class Session implements AgentSession {

		private final AgentListener listener;

		private boolean closed;

		Session(AgentListener listener) {
			this.listener = listener;
		}

		@Override
		public void begin(String callSid, CallProfile profile, Map<String, String> parameters) {
		}

		@Override
		public void appendAudio(String payload) {
			if (!this.closed) {
				this.listener.onAudio(ITEM_ID, payload);
			}
		}

		@Override
		public void interrupt(Interruption cut) {
		}

		@Override
		public void close() {
			this.closed = true;
		}

		/** The echo agent has no words: the call ends at once. */
		@Override
		public void sayGoodbye(String goodbye) {
			if (!this.closed) {
				this.listener.onCallAction(CallAction.END);
				this.listener.onAudioDone();
			}
		}

	}

}

package dev.voicebridge.traditional;

import java.util.List;

import dev.voicebridge.agent.TokenUsage;
import dev.voicebridge.config.Upstream;

/**
 * Traditional mode without {@code OPENAI_API_KEY}: repeats what the caller said, so the speech
 * path (Twilio's recognition, {@code /twilio/gather}, {@code <Say>}) can be proved without a key.
 */
class EchoReplier implements Replier {

	@Override
	public Reply reply(Upstream upstream, List<Message> messages) {
		return new Reply("You said: " + messages.get(messages.size() - 1).content(), TokenUsage.NONE);
	}

	@Override
	public String name() {
		return "echo";
	}

}

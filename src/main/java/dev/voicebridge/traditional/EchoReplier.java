package dev.voicebridge.traditional;

import java.util.List;

import dev.voicebridge.config.Upstream;

/**
 * Traditional mode without {@code OPENAI_API_KEY}: repeats what the caller said, so the speech
 * path (Twilio's recognition, {@code /twilio/gather}, {@code <Say>}) can be proved without a key.
 */
class EchoReplier implements Replier {

	@Override
	public String reply(Upstream upstream, List<Message> messages) {
		return "You said: " + messages.get(messages.size() - 1).content();
	}

	@Override
	public String name() {
		return "echo";
	}

}

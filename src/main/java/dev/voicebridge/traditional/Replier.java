package dev.voicebridge.traditional;

import java.util.List;

import dev.voicebridge.config.Upstream;

/** Answers one caller turn of traditional mode. */
interface Replier {

	/**
	 * The agent's reply to a conversation whose last message is the caller's, from the call's
	 * profile's upstream.
	 * @throws ReplyFailedException when no reply can be had; the caller then hears an apology
	 */
	Reply reply(Upstream upstream, List<Message> messages);

	/** {@code openai} or {@code echo}. */
	String name();

}

package dev.voicebridge.traditional;

import java.util.List;

/** Answers one caller turn of traditional mode. */
interface Replier {

	/**
	 * The agent's reply to a conversation whose last message is the caller's.
	 * @throws ReplyFailedException when no reply can be had; the caller then hears an apology
	 */
	String reply(List<Message> messages);

	/** {@code openai} or {@code echo}. */
	String name();

}

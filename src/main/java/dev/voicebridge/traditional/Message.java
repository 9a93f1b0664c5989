package dev.voicebridge.traditional;

/** One message of a Chat Completions conversation: {@code system}, {@code user} or {@code assistant}. */
record Message(String role, String content) {

	static Message system(String content) {
		return new Message("system", content);
	}

	static Message user(String content) {
		return new Message("user", content);
	}

	static Message assistant(String content) {
		return new Message("assistant", content);
	}

}

package dev.voicebridge.profiles;

/** What is wrong with a profiles file: the profile, the key and the line, in one sentence. */
final class ProfileFileException extends RuntimeException {

	ProfileFileException(String message) {
		super(message, null, false, false);
	}

}

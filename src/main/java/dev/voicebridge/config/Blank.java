package dev.voicebridge.config;

/** Treats blank configuration values as unset. */
final class Blank {

	private Blank() {
	}

	static String toNull(String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

}

package dev.voicebridge.agent;

/**
 * Facts about base64 audio payloads without decoding them: mu-law is one byte per sample at
 * 8 kHz, so 8 bytes are 1 ms. Payloads cross the relay as the strings they arrived as.
 */
public final class Base64Audio {

	/** mu-law bytes in one millisecond of 8 kHz audio. */
	public static final int BYTES_PER_MS = 8;

	private Base64Audio() {
	}

	/** Whether the text is standard, padded base64: safe to copy into JSON without escaping. */
	public static boolean isWellFormed(String text) {
		int length = text.length();
		if (length % 4 != 0) {
			return false;
		}
		int padding = padding(text, 0);
		for (int i = 0; i < length - padding; i++) {
			char c = text.charAt(i);
			boolean valid = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+'
					|| c == '/';
			if (!valid) {
				return false;
			}
		}
		return true;
	}

	/** Bytes encoded by the payload from a character offset (a multiple of 4) to its end. */
	public static int decodedLength(String text, int fromChar) {
		int chars = text.length() - fromChar;
		if (chars <= 0) {
			return 0;
		}
		return (chars / 4) * 3 - padding(text, fromChar);
	}

	/** Bytes encoded by the whole payload. */
	public static int decodedLength(String text) {
		return decodedLength(text, 0);
	}

	private static int padding(String text, int fromChar) {
		int length = text.length();
		if (length - fromChar < 4) {
			return 0;
		}
		if (text.charAt(length - 1) != '=') {
			return 0;
		}
		return (text.charAt(length - 2) == '=') ? 2 : 1;
	}

}

package dev.voicebridge.testing;

import java.util.Base64;
import java.util.Random;

/** Test audio: random mu-law bytes as base64, and back. */
public final class Audio {

	private Audio() {
	}

	/** A frame of {@code bytes} random mu-law bytes, base64 encoded, distinct per seed. */
	public static String frame(long seed, int bytes) {
		byte[] data = new byte[bytes];
		new Random(seed).nextBytes(data);
		return Base64.getEncoder().encodeToString(data);
	}

	/** 20 ms of 8 kHz mu-law, as Twilio sends it. */
	public static String frame(long seed) {
		return frame(seed, 160);
	}

	public static byte[] decode(String payload) {
		return Base64.getDecoder().decode(payload);
	}

}

package dev.voicebridge.media;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CodecWarmup}: the warm-up goes through the real decode and encode, so a codec
 * that stopped recognising frames would show in its checksum.
 */
class CodecWarmupTests {

	private static final int PAYLOAD_CHARS = 216;

	@Test
	void decodesEveryMediaAndMarkFrameAndEncodesEveryReply() {
		int frames = 10;
		int encoded = TwilioMessageCodec.media(TwilioMessageCodec.jsonString("MZ00000000000000000000000000000000"),
				"x".repeat(PAYLOAD_CHARS)).length();

		long checksum = CodecWarmup.warm(frames);

		// every media frame decoded with its 160-byte payload, a mark every fifth, every reply encoded
		assertThat(checksum).isEqualTo(frames * (long) PAYLOAD_CHARS + 2 + frames * (long) encoded);
	}

}

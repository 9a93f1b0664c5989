package dev.voicebridge.media;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.voicebridge.call.LineEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast path reads Twilio's own {@code media} messages, and leaves everything else to the
 * parser; the property tests of {@link TwilioMessageCodecPropertyTests} hold both to one answer.
 */
class MediaScannerTests {

	private static final String PAYLOAD = "f39/f39/f39/f39/";

	@Test
	void readsAMediaMessageAsTwilioSendsIt() {
		String text = "{\"event\":\"media\",\"sequenceNumber\":\"3\",\"media\":{\"track\":\"inbound\",\"chunk\":\"1\","
				+ "\"timestamp\":\"5\",\"payload\":\"" + PAYLOAD + "\"},\"streamSid\":\"MZ123\"}";

		assertThat(scan(text)).isEqualTo(new LineEvent.Media("MZ123", "inbound", PAYLOAD))
			.isEqualTo(TwilioMessageCodec.decode(text));
	}

	@Test
	void readsWhitespaceBetweenTokens() {
		String text = " {\n\t\"event\" : \"media\" ,\r\n \"media\" : { \"payload\" : \"" + PAYLOAD + "\" } } \n";

		assertThat(scan(text)).isEqualTo(new LineEvent.Media(null, "inbound", PAYLOAD))
			.isEqualTo(TwilioMessageCodec.decode(text));
	}

	@Test
	void aRepeatedBodyReplacesTheOneBeforeItAsWithTheParser() {
		String text = "{\"event\":\"media\",\"media\":{\"payload\":\"" + PAYLOAD + "\"},\"media\":{\"track\":\"x\"}}";

		assertThat(scan(text)).isNull();
		assertThat(TwilioMessageCodec.decode(text)).isInstanceOf(LineEvent.Invalid.class);
	}

	@Test
	void leavesEverythingButPlainMediaToTheParser() {
		assertThat(scan("{\"event\":\"mark\",\"mark\":{\"name\":\"1\"}}")).isNull();
		assertThat(scan("{\"event\":\"media\",\"sequenceNumber\":3,\"media\":{\"payload\":\"" + PAYLOAD + "\"}}")).isNull();
		assertThat(scan("{\"event\":\"media\",\"streamSid\":\"M\\u005a1\",\"media\":{\"payload\":\"" + PAYLOAD + "\"}}"))
			.isNull();
		assertThat(scan("{\"event\":\"media\",\"streamSid\":\"MZ\u00e91\",\"media\":{\"payload\":\"" + PAYLOAD + "\"}}"))
			.isNull();
		assertThat(scan("{\"event\":\"media\",\"media\":{\"payload\":\"" + PAYLOAD + "\",\"x\":{}}}")).isNull();
		assertThat(scan("{\"event\":\"media\",\"media\":{\"payload\":\"" + PAYLOAD + "\"}} {}")).isNull();
		assertThat(scan("{\"event\":\"media\",\"media\":{\"payload\":\"" + PAYLOAD + "\"}")).isNull();
		assertThat(scan("{\"event\":\"media\",\"media\":{\"payload\":\"not base64!\"}}")).isNull();
		assertThat(scan("{\"event\":\"media\",\"media\":{}}")).isNull();
	}

	private static LineEvent.Media scan(String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		return MediaScanner.scan(bytes, bytes.length);
	}

}

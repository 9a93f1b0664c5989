package dev.voicebridge.media;

import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.voicebridge.call.Base64Audio;
import dev.voicebridge.testing.Generated;
import dev.voicebridge.testing.TwilioFrames;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a peer sends, decoding answers with an event and never throws; audio it accepts is
 * always safe to splice into JSON. Cases are generated from a fixed seed (see {@link Generated}).
 */
class TwilioMessageCodecPropertyTests {

	@ParameterizedTest(name = "{0}")
	@MethodSource("anyText")
	void anyTextDecodesWithoutThrowing(String text) {
		assertThat(TwilioMessageCodec.decode(text)).isNotNull();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("twilioLikeJson")
	void anyTwilioShapedJsonDecodesWithoutThrowing(String json) {
		TwilioEvent event = TwilioMessageCodec.decode(json);
		assertThat(event).isNotNull();
		if (event instanceof TwilioEvent.Media media) {
			assertThat(Base64Audio.isWellFormed(media.payload())).isTrue();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("damagedTwilioMessages")
	void anyDamagedTwilioMessageDecodesWithoutThrowing(String message) {
		TwilioEvent event = TwilioMessageCodec.decode(message);
		assertThat(event).isNotNull();
		if (event instanceof TwilioEvent.Media media) {
			assertThat(Base64Audio.isWellFormed(media.payload())).as(message).isTrue();
		}
	}

	static Stream<Named<String>> anyText() {
		return Generated.cases(2000, TwilioFrames::anyText);
	}

	static Stream<Named<String>> twilioLikeJson() {
		return Generated.cases(2000, TwilioFrames::twilioLikeJson);
	}

	static Stream<Named<String>> damagedTwilioMessages() {
		return Generated.cases(2000, TwilioFrames::damagedTwilioMessage);
	}

}

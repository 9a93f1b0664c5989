package dev.voicebridge.media;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import dev.voicebridge.agent.Base64Audio;
import dev.voicebridge.call.LineEvent;
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
		assertThat(TwilioMessageCodec.decode(frame(text))).isNotNull();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("twilioLikeJson")
	void anyTwilioShapedJsonDecodesWithoutThrowing(String json) {
		LineEvent event = TwilioMessageCodec.decode(json);
		assertThat(event).isNotNull();
		if (event instanceof LineEvent.Media media) {
			assertThat(Base64Audio.isWellFormed(media.payload())).isTrue();
		}
		assertSameReading(json);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("damagedTwilioMessages")
	void anyDamagedTwilioMessageDecodesWithoutThrowing(String message) {
		LineEvent event = TwilioMessageCodec.decode(message);
		assertThat(event).isNotNull();
		if (event instanceof LineEvent.Media media) {
			assertThat(Base64Audio.isWellFormed(media.payload())).as(message).isTrue();
		}
		assertSameReading(message);
	}

	/**
	 * The socket's path (a frame's UTF-8 bytes, the media fast path first) reads what the
	 * parser reads from the same frame as text; where both refuse it, the byte and the text
	 * parser may word the reason differently. (A frame carries UTF-8: an unpaired surrogate of
	 * the generated text arrives as {@code ?}.)
	 */
	private static void assertSameReading(String generated) {
		byte[] bytes = generated.getBytes(StandardCharsets.UTF_8);
		String text = new String(bytes, StandardCharsets.UTF_8);
		LineEvent fromText = TwilioMessageCodec.decode(text);
		LineEvent fromBytes = TwilioMessageCodec.decode(DefaultDataBufferFactory.sharedInstance.wrap(bytes));
		if (fromText instanceof LineEvent.Invalid) {
			assertThat(fromBytes).as(text).isInstanceOf(LineEvent.Invalid.class);
		}
		else {
			assertThat(fromBytes).as(text).isEqualTo(fromText);
		}
	}

	/** A text frame as the socket hands it over: the message's UTF-8 bytes in a buffer. */
	private static DataBuffer frame(String text) {
		return DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8));
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

package dev.voicebridge.media;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import dev.voicebridge.call.Base64Audio;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a peer sends, decoding answers with an event and never throws; audio it accepts is
 * always safe to splice into JSON.
 */
public class TwilioMessageCodecPropertyTests {

	@Property(tries = 2000)
	void anyTextDecodesWithoutThrowing(@ForAll String text) {
		assertThat(TwilioMessageCodec.decode(text)).isNotNull();
	}

	@Property(tries = 2000)
	void anyTwilioShapedJsonDecodesWithoutThrowing(@ForAll("twilioLikeJson") String json) {
		TwilioEvent event = TwilioMessageCodec.decode(json);
		assertThat(event).isNotNull();
		if (event instanceof TwilioEvent.Media media) {
			assertThat(Base64Audio.isWellFormed(media.payload())).isTrue();
		}
	}

	@Provide
	Arbitrary<String> twilioLikeJson() {
		return JsonArbitraries.twilioLike();
	}

	public static final class JsonArbitraries {

		private static final String[] KEYS = { "event", "streamSid", "sequenceNumber", "media", "start", "mark", "stop",
				"dtmf", "payload", "track", "name", "customParameters", "mediaFormat", "callSid", "x" };

		private static final String[] EVENTS = { "connected", "start", "media", "mark", "stop", "dtmf", "clear",
				"unknown", "" };

		public static Arbitrary<String> twilioLike() {
			return value(3);
		}

		private static Arbitrary<String> value(int depth) {
			Arbitrary<String> scalar = Arbitraries.oneOf(
					Arbitraries.of(EVENTS).map((text) -> "\"" + text + "\""),
					Arbitraries.strings().withCharRange('!', '~').ofMaxLength(12).map((text) -> "\""
							+ text.replace("\\", "\\\\").replace("\"", "\\\"") + "\""),
					Arbitraries.strings().withChars("ABCDEFabcdef0123456789+/=").ofMaxLength(24).map((text) -> "\"" + text + "\""),
					Arbitraries.integers().map(String::valueOf), Arbitraries.of("null", "true", "false", "[]", "{}"));
			if (depth == 0) {
				return scalar;
			}
			Arbitrary<String> member = Arbitraries.of(KEYS)
				.flatMap((key) -> value(depth - 1).map((value) -> "\"" + key + "\":" + value));
			Arbitrary<String> object = member.list().ofMaxSize(5).map((members) -> "{" + String.join(",", members) + "}");
			return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, scalar), net.jqwik.api.Tuple.of(3, object));
		}

	}

}

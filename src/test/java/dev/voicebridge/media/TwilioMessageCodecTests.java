package dev.voicebridge.media;

import java.util.Base64;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.voicebridge.call.LineEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TwilioMessageCodec} and the {@link LineEvent}s it produces, with Twilio's
 * real message shapes (numbers arrive as strings).
 */
class TwilioMessageCodecTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String CONNECTED = "{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}";

	private static final String PAYLOAD = base64(160, 42);

	@Test
	void decodesConnectedAsConnectedEvent() {
		LineEvent event = TwilioMessageCodec.decode(CONNECTED);

		assertThat(event).isInstanceOf(LineEvent.Connected.class);
	}

	@Test
	void decodesConnectedProtocolAndVersion() {
		LineEvent event = TwilioMessageCodec.decode(CONNECTED);

		assertThat(event).isEqualTo(new LineEvent.Connected("Call", "1.0.0"));
	}

	@Test
	void decodesStartWithIdentityFormatAndCustomParameters() {
		String text = "{\"event\":\"start\",\"sequenceNumber\":\"1\",\"start\":{\"accountSid\":\"AC123\","
				+ "\"streamSid\":\"MZ123\",\"callSid\":\"CA123\",\"tracks\":[\"inbound\"],"
				+ "\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1},"
				+ "\"customParameters\":{\"businessId\":\"b1\"}},\"streamSid\":\"MZ123\"}";

		LineEvent event = TwilioMessageCodec.decode(text);

		assertThat(event).isEqualTo(new LineEvent.Start("MZ123", "CA123", "AC123", Map.of("businessId", "b1"),
				"audio/x-mulaw", 8000, 1));
	}

	@Test
	void decodesStartWithNumbersSentAsStrings() {
		String text = "{\"event\":\"start\",\"start\":{\"streamSid\":\"MZ123\",\"callSid\":\"CA123\","
				+ "\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":\"8000\",\"channels\":\"1\"}}}";

		LineEvent event = TwilioMessageCodec.decode(text);

		assertThat(event).isInstanceOfSatisfying(LineEvent.Start.class, (start) -> {
			assertThat(start.streamSid()).isEqualTo("MZ123");
			assertThat(start.sampleRate()).isEqualTo(8000);
			assertThat(start.channels()).isEqualTo(1);
			assertThat(start.customParameters()).isEmpty();
		});
	}

	@Test
	void decodesMediaKeepingThePayloadUnchanged() {
		String text = "{\"event\":\"media\",\"sequenceNumber\":\"3\",\"media\":{\"track\":\"inbound\",\"chunk\":\"1\","
				+ "\"timestamp\":\"5\",\"payload\":\"" + PAYLOAD + "\"},\"streamSid\":\"MZ123\"}";

		LineEvent event = TwilioMessageCodec.decode(text);

		assertThat(event).isEqualTo(new LineEvent.Media("MZ123", "inbound", PAYLOAD));
	}

	@Test
	void decodesMediaWhateverTheKeyOrder() {
		String text = "{\"streamSid\":\"MZ123\",\"media\":{\"payload\":\"" + PAYLOAD
				+ "\",\"timestamp\":\"5\",\"track\":\"inbound\",\"chunk\":\"1\"},"
				+ "\"sequenceNumber\":\"3\",\"event\":\"media\"}";

		LineEvent event = TwilioMessageCodec.decode(text);

		assertThat(event).isEqualTo(new LineEvent.Media("MZ123", "inbound", PAYLOAD));
	}

	@Test
	void decodesMediaOfAnotherTrackWithItsTrack() {
		String text = "{\"event\":\"media\",\"media\":{\"track\":\"outbound\",\"payload\":\"AAAA\"},"
				+ "\"streamSid\":\"MZ1\"}";

		assertThat(TwilioMessageCodec.decode(text)).isEqualTo(new LineEvent.Media("MZ1", "outbound", "AAAA"));
	}

	@Test
	void decodesMark() {
		String text = "{\"event\":\"mark\",\"sequenceNumber\":\"4\",\"streamSid\":\"MZ123\",\"mark\":{\"name\":\"7\"}}";

		assertThat(TwilioMessageCodec.decode(text)).isEqualTo(new LineEvent.Mark("MZ123", "7"));
	}

	@Test
	void decodesDtmf() {
		String text = "{\"event\":\"dtmf\",\"streamSid\":\"MZ123\",\"sequenceNumber\":\"5\","
				+ "\"dtmf\":{\"track\":\"inbound_track\",\"digit\":\"1\"}}";

		assertThat(TwilioMessageCodec.decode(text)).isEqualTo(new LineEvent.Dtmf("MZ123", "1"));
	}

	@Test
	void decodesStop() {
		String text = "{\"event\":\"stop\",\"sequenceNumber\":\"5\",\"streamSid\":\"MZ123\","
				+ "\"stop\":{\"accountSid\":\"AC123\",\"callSid\":\"CA123\"}}";

		assertThat(TwilioMessageCodec.decode(text)).isEqualTo(new LineEvent.Stop("MZ123", "CA123"));
	}

	@Test
	void decodesUnknownEventTypeAsUnknown() {
		String text = "{\"event\":\"transcription\",\"streamSid\":\"MZ123\",\"transcription\":{\"text\":\"hi\"}}";

		assertThat(TwilioMessageCodec.decode(text)).isEqualTo(new LineEvent.Unknown("transcription"));
	}

	@Test
	void malformedJsonIsInvalid() {
		assertThat(TwilioMessageCodec.decode("{\"event\":\"media\",\"media\":{"))
			.isInstanceOf(LineEvent.Invalid.class);
		assertThat(TwilioMessageCodec.decode("{event:media}")).isInstanceOf(LineEvent.Invalid.class);
		assertThat(TwilioMessageCodec.decode("")).isInstanceOf(LineEvent.Invalid.class);
	}

	@Test
	void jsonArrayIsInvalid() {
		assertThat(TwilioMessageCodec.decode("[{\"event\":\"stop\"}]")).isInstanceOf(LineEvent.Invalid.class);
	}

	@Test
	void jsonScalarIsInvalid() {
		assertThat(TwilioMessageCodec.decode("\"media\"")).isInstanceOf(LineEvent.Invalid.class);
	}

	@Test
	void objectWithoutEventFieldIsInvalid() {
		assertThat(TwilioMessageCodec.decode("{\"streamSid\":\"MZ123\",\"media\":{\"payload\":\"AAAA\"}}"))
			.isInstanceOf(LineEvent.Invalid.class);
	}

	@Test
	void mediaWithoutPayloadIsInvalid() {
		assertThat(TwilioMessageCodec
			.decode("{\"event\":\"media\",\"streamSid\":\"MZ1\",\"media\":{\"track\":\"inbound\"}}"))
			.isInstanceOf(LineEvent.Invalid.class);
		assertThat(TwilioMessageCodec.decode("{\"event\":\"media\",\"streamSid\":\"MZ1\"}"))
			.isInstanceOf(LineEvent.Invalid.class);
	}

	@Test
	void mediaWithPayloadContainingAQuoteIsInvalid() {
		String text = "{\"event\":\"media\",\"streamSid\":\"MZ1\",\"media\":{\"payload\":\"AA\\\"A\"}}";

		assertThat(TwilioMessageCodec.decode(text)).isInstanceOf(LineEvent.Invalid.class);
	}

	@Test
	void mediaWithPayloadOfWrongLengthIsInvalid() {
		String text = "{\"event\":\"media\",\"streamSid\":\"MZ1\",\"media\":{\"payload\":\"AAAAA\"}}";

		assertThat(TwilioMessageCodec.decode(text)).isInstanceOf(LineEvent.Invalid.class);
	}

	@Test
	void startWithoutStreamSidIsInvalid() {
		String text = "{\"event\":\"start\",\"start\":{\"callSid\":\"CA123\",\"accountSid\":\"AC123\"}}";

		assertThat(TwilioMessageCodec.decode(text)).isInstanceOf(LineEvent.Invalid.class);
	}

	@Test
	void markWithoutNameIsInvalid() {
		assertThat(TwilioMessageCodec.decode("{\"event\":\"mark\",\"streamSid\":\"MZ1\",\"mark\":{}}"))
			.isInstanceOf(LineEvent.Invalid.class);
	}

	@Test
	void trailingGarbageIsInvalid() {
		String stop = "{\"event\":\"stop\",\"streamSid\":\"MZ1\",\"stop\":{\"callSid\":\"CA1\"}}";

		assertThat(TwilioMessageCodec.decode(stop)).isInstanceOf(LineEvent.Stop.class);
		assertThat(TwilioMessageCodec.decode(stop + "x")).isInstanceOf(LineEvent.Invalid.class);
		assertThat(TwilioMessageCodec.decode(stop + stop)).isInstanceOf(LineEvent.Invalid.class);
	}

	@Test
	void encodesMediaAsExactJson() {
		String sid = TwilioMessageCodec.jsonString("MZ123");

		String message = TwilioMessageCodec.media(sid, PAYLOAD);

		assertThat(message)
			.isEqualTo("{\"event\":\"media\",\"streamSid\":\"MZ123\",\"media\":{\"payload\":\"" + PAYLOAD + "\"}}");
		JsonNode tree = JSON.readTree(message);
		assertThat(tree.get("event").asString()).isEqualTo("media");
		assertThat(tree.get("streamSid").asString()).isEqualTo("MZ123");
		assertThat(tree.get("media").get("payload").asString()).isEqualTo(PAYLOAD);
	}

	@Test
	void encodesMarkAsExactJson() {
		String message = TwilioMessageCodec.mark(TwilioMessageCodec.jsonString("MZ123"), "7");

		assertThat(message).isEqualTo("{\"event\":\"mark\",\"streamSid\":\"MZ123\",\"mark\":{\"name\":\"7\"}}");
		JsonNode tree = JSON.readTree(message);
		assertThat(tree.get("event").asString()).isEqualTo("mark");
		assertThat(tree.get("streamSid").asString()).isEqualTo("MZ123");
		assertThat(tree.get("mark").get("name").asString()).isEqualTo("7");
	}

	@Test
	void encodesClearAsExactJson() {
		String message = TwilioMessageCodec.clear(TwilioMessageCodec.jsonString("MZ123"));

		assertThat(message).isEqualTo("{\"event\":\"clear\",\"streamSid\":\"MZ123\"}");
		JsonNode tree = JSON.readTree(message);
		assertThat(tree.get("event").asString()).isEqualTo("clear");
		assertThat(tree.get("streamSid").asString()).isEqualTo("MZ123");
		assertThat(tree.size()).isEqualTo(2);
	}

	@Test
	void encodedMessagesDecodeBackToTheSameEvent() {
		String sid = TwilioMessageCodec.jsonString("MZ123");

		assertThat(TwilioMessageCodec.decode(TwilioMessageCodec.media(sid, PAYLOAD)))
			.isEqualTo(new LineEvent.Media("MZ123", "inbound", PAYLOAD));
		assertThat(TwilioMessageCodec.decode(TwilioMessageCodec.mark(sid, "12")))
			.isEqualTo(new LineEvent.Mark("MZ123", "12"));
		assertThat(TwilioMessageCodec.decode(TwilioMessageCodec.clear(sid)))
			.isEqualTo(new LineEvent.Unknown("clear"));
	}

	@Test
	void jsonStringQuotesPlainText() {
		assertThat(TwilioMessageCodec.jsonString("MZ123")).isEqualTo("\"MZ123\"");
		assertThat(TwilioMessageCodec.jsonString("")).isEqualTo("\"\"");
	}

	@Test
	void jsonStringEscapesQuotesBackslashesAndControlCharacters() {
		String value = "a\"b\\c\nd\te\u0001f\u001fg";

		String literal = TwilioMessageCodec.jsonString(value);

		assertThat(literal).isEqualTo("\"a\\\"b\\\\c\\u000ad\\u0009e\\u0001f\\u001fg\"");
		assertThat(JSON.readTree(literal).asString()).isEqualTo(value);
	}

	@Test
	void jsonStringMakesHostileStreamSidSafeToSplice() {
		String hostile = "MZ\",\"event\":\"stop";

		String message = TwilioMessageCodec.clear(TwilioMessageCodec.jsonString(hostile));

		JsonNode tree = JSON.readTree(message);
		assertThat(tree.get("event").asString()).isEqualTo("clear");
		assertThat(tree.get("streamSid").asString()).isEqualTo(hostile);
	}

	private static String base64(int bytes, long seed) {
		byte[] audio = new byte[bytes];
		new Random(seed).nextBytes(audio);
		return Base64.getEncoder().encodeToString(audio);
	}

}

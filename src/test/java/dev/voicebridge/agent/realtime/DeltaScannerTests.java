package dev.voicebridge.agent.realtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.voicebridge.testing.Generated;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast path reads OpenAI's audio deltas and leaves every other event to Jackson; whatever
 * the text, reading it answers what Jackson alone answers. Cases are generated from a fixed
 * seed (see {@link Generated}).
 */
class DeltaScannerTests {

	private static final String DELTA = "{\"type\":\"response.output_audio.delta\",\"event_id\":\"event_1\","
			+ "\"response_id\":\"resp_1\",\"item_id\":\"item_1\",\"output_index\":0,\"content_index\":0,"
			+ "\"delta\":\"f39/f39/\"}";

	@Test
	void readsADeltaAsOpenAiSendsIt() {
		RealtimeEvents.ServerEvent event = DeltaScanner.scan(DELTA);

		assertThat(event).isNotNull().isEqualTo(RealtimeEvents.parse(DELTA));
		assertThat(event.type()).isEqualTo("response.output_audio.delta");
		assertThat(event.responseId()).isEqualTo("resp_1");
		assertThat(event.itemId()).isEqualTo("item_1");
		assertThat(event.delta()).isEqualTo("f39/f39/");
	}

	@Test
	void leavesOtherEventsAndOtherShapesToTheParser() {
		assertThat(DeltaScanner.scan("{\"type\":\"response.done\",\"response\":{\"id\":\"resp_1\"}}")).isNull();
		assertThat(DeltaScanner.scan(DELTA.replace("\"resp_1\"", "\"resp\\u005f1\""))).isNull();
		assertThat(DeltaScanner.scan(DELTA.replace("\"item_1\"", "\"item_\u00e9\""))).isNull();
		assertThat(DeltaScanner.scan(DELTA.replace("\"output_index\":0", "\"output_index\":0.5"))).isNull();
		assertThat(DeltaScanner.scan(DELTA.replace("\"output_index\":0", "\"output_index\":true"))).isNull();
		assertThat(DeltaScanner.scan(DELTA.replace("\"item_1\"", "7"))).isNull();
		assertThat(DeltaScanner.scan(DELTA + "{}")).isNull();
		assertThat(DeltaScanner.scan(DELTA.substring(0, DELTA.length() - 1))).isNull();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("deltaLikeEvents")
	void readingAnEventAnswersWhatTheParserAnswers(String text) {
		assertThat(RealtimeEvents.read(text)).as(text).isEqualTo(RealtimeEvents.parse(text));
	}

	static Stream<Named<String>> deltaLikeEvents() {
		return Generated.cases(2000, DeltaScannerTests::deltaLike);
	}

	/** A delta with its members in any order, extra members of any kind, and now and then damage. */
	private static String deltaLike(SplittableRandom random) {
		List<String> members = new ArrayList<>(List.of(
				"\"type\":\"" + (random.nextInt(8) == 0 ? "response.output_audio_transcript.delta" : DeltaScanner.DELTA_TYPE) + "\"",
				"\"event_id\":\"event_" + random.nextInt(1000) + "\"", "\"response_id\":\"resp_" + random.nextInt(9) + "\"",
				"\"item_id\":\"item_" + random.nextInt(9) + "\"", "\"output_index\":" + random.nextInt(3),
				"\"content_index\":0", "\"delta\":\"" + "AAAA".repeat(random.nextInt(1, 5)) + "\""));
		String[] extras = { "\"x\":\"y\"", "\"x\":-12", "\"x\":007", "\"x\":1e3", "\"x\":null", "\"x\":true",
				"\"x\":{\"a\":1}", "\"x\":[1]", "\"x\":\"a\\\"b\"", "\"x\":\"\u00e9\"", "\"delta\":\"BBBB\"",
				"\"type\":\"error\"", "\"name\":\"end_call\"", "\"transcript\":\"hi\"", "\"call_id\":\"c1\"",
				"\"delta\":5", "\"response\":{\"id\":\"r\"}", "\"error\":{\"type\":\"t\"}" };
		for (int i = random.nextInt(3); i > 0; i--) {
			members.add(extras[random.nextInt(extras.length)]);
		}
		Collections.shuffle(members, new java.util.Random(random.nextLong()));
		String space = (random.nextInt(4) == 0) ? " \n" : "";
		StringBuilder text = new StringBuilder("{").append(space).append(String.join("," + space, members)).append("}");
		if (random.nextInt(4) == 0) {
			String damage = "{}[]\":,\\ 0a\u00e9";
			int at = random.nextInt(text.length());
			switch (random.nextInt(3)) {
				case 0 -> text.setLength(at);
				case 1 -> text.setCharAt(at, damage.charAt(random.nextInt(damage.length())));
				default -> text.insert(at, damage.charAt(random.nextInt(damage.length())));
			}
		}
		return text.toString();
	}

}

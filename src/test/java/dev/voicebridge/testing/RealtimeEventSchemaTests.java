package dev.voicebridge.testing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The schema copy still catches bad client events when OpenAI's own keywords are read quietly. */
class RealtimeEventSchemaTests {

	@Test
	void aWellFormedClientEventHasNoViolations() {
		assertThat(RealtimeEventSchema.clientEventViolations("{\"type\":\"input_audio_buffer.append\",\"audio\":\"AAEC\"}"))
			.isEmpty();
	}

	@Test
	void aClientEventOfTheWrongShapeIsCaught() {
		assertThat(RealtimeEventSchema.clientEventViolations("{\"type\":\"input_audio_buffer.append\",\"audio\":12}"))
			.isNotEmpty();
		assertThat(RealtimeEventSchema.clientEventViolations("{\"type\":\"no.such.event\"}")).isNotEmpty();
	}

}

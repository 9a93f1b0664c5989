package dev.voicebridge.agent.realtime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the {@link RealtimeAgent}'s warm-up: it runs the real {@code append} encoding and
 * delta reading, so a reader that lost the delta would show in its checksum.
 */
class RealtimeAgentWarmupTests {

	private static final String PAYLOAD = "/".repeat(212) + "/w==";

	@Test
	void encodesEveryAppendAndReadsEveryDeltaBack() {
		int frames = 10;
		int append = RealtimeEvents.append(PAYLOAD).length();

		long checksum = RealtimeAgent.warm(frames);

		assertThat(checksum).isEqualTo(frames * (long) (append + PAYLOAD.length()));
	}

}

package dev.voicebridge.events;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.voicebridge.testing.Audio;
import dev.voicebridge.testing.FakeRealtimeServer;
import dev.voicebridge.testing.FakeTwilioCall;
import dev.voicebridge.testing.SharedRealtimeUpstream;
import dev.voicebridge.testing.TwilioForms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code MAX_CALL_DURATION} ends a call politely: once it is reached the agent is asked to say
 * the goodbye, and the call ends once the caller has heard it; the Connect action then hangs up.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "voicebridge.openai.api-key=sk-test", "voicebridge.twilio.validate-signatures=false", "voicebridge.calls.max-call-duration=1s",
				"voicebridge.calls.time-limit-goodbye=Our time is up, goodbye!" })
@ExtendWith(SharedRealtimeUpstream.class)
class MaxCallDurationIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final FakeRealtimeServer openai = SharedRealtimeUpstream.server();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		registry.add("voicebridge.openai.realtime-url", openai::url);
	}

	@Test
	void aCallThatReachesTheLimitHearsTheGoodbyeAndEnds() throws Exception {
		String callSid = "CA" + "7".repeat(32);
		try (FakeTwilioCall call = FakeTwilioCall.connect("ws://localhost:" + this.port + "/twilio-media",
				"MZ" + callSid.substring(2), callSid)) {
			call.playMarks(false);
			var upstream = openai.nextConnection(WAIT);
			upstream.next("session.update", WAIT);
			call.start(Map.of());
			assertThat(upstream.next("response.create", WAIT).path("response").path("instructions").asText())
				.contains("time limit").contains("Our time is up, goodbye!");
			upstream.responseCreated("resp_bye");
			upstream.delta("resp_bye", "item_bye", Audio.frame(77, 800));
			upstream.audioDone("resp_bye", "item_bye");
			upstream.responseDone("resp_bye");
			call.next("media", WAIT);
			String mark = call.next("mark", WAIT).path("mark").path("name").asText();
			assertThatThrownBy(() -> call.awaitClosed(Duration.ofMillis(300))).as("open until the goodbye is heard")
				.isInstanceOf(AssertionError.class);
			call.markPlayed(mark);
			assertThat(call.awaitClosed(WAIT)).isEqualTo(1000);
			assertThat(TwilioForms.connectAction(this.port, callSid)).contains("<Hangup/>");
			assertThat(openai.schemaViolations()).isEmpty();
		}
	}

}

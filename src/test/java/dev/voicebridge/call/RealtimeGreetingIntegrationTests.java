package dev.voicebridge.call;

import java.time.Duration;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.voicebridge.testing.FakeRealtimeServer;
import dev.voicebridge.testing.FakeTwilioCall;
import dev.voicebridge.testing.SharedRealtimeUpstream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The optional settings of a Realtime session: a greeting spoken first, caller transcription,
 * semantic turn detection, another voice and model.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(SharedRealtimeUpstream.class)
class RealtimeGreetingIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final FakeRealtimeServer openai = SharedRealtimeUpstream.server();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		registry.add("voicebridge.openai.api-key", () -> "sk-test");
		// no TWILIO_AUTH_TOKEN in these tests: accept unsigned streams on the operator's word
		registry.add("voicebridge.twilio.validate-signatures", () -> "false");
		registry.add("voicebridge.openai.realtime-url", openai::url);
		registry.add("voicebridge.openai.model", () -> "gpt-realtime-mini");
		registry.add("voicebridge.openai.voice", () -> "cedar");
		registry.add("voicebridge.openai.turn-detection", () -> "semantic_vad");
		registry.add("voicebridge.openai.transcription-model", () -> "gpt-4o-mini-transcribe");
		registry.add("voicebridge.agent.greeting", () -> "Thanks for calling Acme, how can I help?");
		registry.add("voicebridge.agent.instructions", () -> "You are Acme's receptionist.");
	}

	@Test
	void configuresTheOptionalSessionSettings() throws Exception {
		try (FakeTwilioCall call = FakeTwilioCall.connect(url(), "MZgreet1", "CAgreet1")) {
			var upstream = openai.nextConnection(WAIT);
			JsonNode session = upstream.next("session.update", WAIT).path("session");
			assertThat(session.path("instructions").asString()).isEqualTo("You are Acme's receptionist.");
			assertThat(session.path("audio").path("output").path("voice").asString()).isEqualTo("cedar");
			assertThat(session.path("audio").path("input").path("turn_detection").path("type").asString())
				.isEqualTo("semantic_vad");
			assertThat(session.path("audio").path("input").path("transcription").path("model").asString())
				.isEqualTo("gpt-4o-mini-transcribe");
			assertThat(openai.handshakes().get(openai.handshakes().size() - 1).getUrl().queryParameter("model"))
				.isEqualTo("gpt-realtime-mini");
		}
	}

	@Test
	void greetsOnceTheSessionIsConfiguredAndTheCallHasStarted() throws Exception {
		openai.autoConfigure(false);
		try (FakeTwilioCall call = FakeTwilioCall.connect(url(), "MZgreet2", "CAgreet2")) {
			var upstream = openai.nextConnection(WAIT);
			upstream.next("session.update", WAIT);
			upstream.configure();
			call.start(Map.of());
			JsonNode greeting = upstream.next("response.create", WAIT);
			assertThat(greeting.path("response").path("instructions").asString())
				.contains("Thanks for calling Acme, how can I help?");
			// a probe frame behind the greeting shows no second greeting was sent
			call.media(dev.voicebridge.testing.Audio.frame(1));
			upstream.next("input_audio_buffer.append", WAIT);
			assertThat(upstream.types().stream().filter("response.create"::equals)).hasSize(1);
		}
		finally {
			openai.autoConfigure(true);
		}
	}

	private String url() {
		return "ws://localhost:" + this.port + "/twilio-media";
	}

}

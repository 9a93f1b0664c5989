package dev.voicebridge.twilio;

import java.io.IOException;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import dev.voicebridge.testing.FakeTwilioCall;
import dev.voicebridge.testing.TwilioForms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An OpenAI key and no {@code TWILIO_AUTH_TOKEN}: before, each unsigned handshake opened a paid
 * Realtime session for whoever sent it. Now nothing that spends the key opens, the caller is
 * still answered (the Connect action's fallback), and the status page says what to set.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "voicebridge.openai.api-key=sk-fail-closed-1",
				"voicebridge.openai.realtime-url=ws://127.0.0.1:1/v1/realtime" })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class FailClosedIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meters;

	@Test
	void unsignedStreamsAreRefusedAndCounted() {
		double before = handshakes("unsigned");
		assertThatThrownBy(() -> FakeTwilioCall.connect(url("/twilio-media").replace("http", "ws"), "MZopen1", "CAopen1"))
			.hasMessageContaining("code=403");
		assertThat(handshakes("unsigned")).isEqualTo(before + 1);
		assertThat(this.meters.counter("voicebridge.upstream.connects", "outcome", "success").count())
			.as("no upstream session for the stranger").isZero();
	}

	@Test
	void traditionalTurnsAndStreamErrorsAreRefusedToo() {
		assertThat(TwilioForms.post(url("/twilio/gather"), Map.of("CallSid", "CAopen2", "SpeechResult", "hi")).status())
			.isEqualTo(403);
		assertThat(TwilioForms.post(url("/twilio/stream-status"),
				Map.of("CallSid", "CAopen3", "StreamSid", "MZopen3", "StreamEvent", "stream-error", "StreamError", "x"))
			.status()).as("a forged stream error would steer the breaker").isEqualTo(403);
	}

	@Test
	void theCallerIsStillAnsweredAndTheConnectActionServesTheFallback() {
		TwilioForms.Answer voice = TwilioForms.post(url("/twilio/voice"), Map.of("CallSid", "CAopen4"));
		assertThat(voice.status()).isEqualTo(200);
		assertThat(voice.body()).contains("<Stream");
		assertThat(TwilioForms.connectAction(this.port, "CAopen4")).contains("<Say");
	}

	@Test
	void theStatusPageNamesTheFixAndTheStartUpLogSaysItAtError(CapturedOutput output) throws IOException {
		JsonNode status = status();
		JsonNode finding = null;
		for (JsonNode each : status.path("diagnosis")) {
			if (each.path("id").asString().equals("unsigned-streams-refused")) {
				finding = each;
			}
		}
		assertThat(finding).isNotNull();
		assertThat(finding.path("severity").asString()).isEqualTo("error");
		assertThat(finding.path("fix").asString()).contains("TWILIO_AUTH_TOKEN").contains("TWILIO_VALIDATE_SIGNATURES=false");
		assertThat(status.toString()).doesNotContain("sk-fail-closed-1");
		assertThat(output.getAll()).containsPattern("ERROR .*\\[Startup\\] OPENAI_API_KEY is set but TWILIO_AUTH_TOKEN is not");
	}

	private JsonNode status() throws IOException {
		try (Response response = new OkHttpClient().newCall(new Request.Builder().url(url("/websocket-status")).build())
			.execute()) {
			return JsonMapper.shared().readTree(response.body().string());
		}
	}

	private double handshakes(String reason) {
		return this.meters
			.counter("voicebridge.stream.handshakes", "path", "/twilio-media", "outcome", "rejected", "reason", reason)
			.count();
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

}

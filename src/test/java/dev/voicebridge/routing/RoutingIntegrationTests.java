package dev.voicebridge.routing;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import dev.voicebridge.testing.FakeTwilioCall;
import dev.voicebridge.testing.TwilioForms;
import dev.voicebridge.testing.TwilioForms.Answer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Routing over real HTTP, with the echo agent (no OpenAI key): the {@code mode} parameter, the
 * run-time probability behind the admin token, failover at the Connect action, and the breaker
 * as {@code /websocket-status} and Prometheus show it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "voicebridge.admin-token=" + RoutingIntegrationTests.ADMIN,
				"voicebridge.routing.breaker.failures=2", "voicebridge.routing.breaker.trial-every=1000" })
@AutoConfigureMetrics
@DirtiesContext
class RoutingIntegrationTests {

	static final String ADMIN = "admin-routing-3c1d-0123456789abcdef0123456789abcdef";

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final OkHttpClient http = new OkHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private CallRouter router;

	@Autowired
	private RealtimeProbability probability;

	@AfterEach
	void restoreRouting() {
		this.probability.set(1.0);
		this.router.streamStarted(new dev.voicebridge.call.StreamStartedEvent(null, null));
	}

	@Test
	void modeTraditionalOnTheWebhookStartsAGatherThatEchoesWithoutAKey() {
		Answer answer = voice("/twilio/voice?mode=traditional&businessId=b1", "CAtrad1");
		assertThat(answer.body()).contains("<Gather action=\"http://localhost:" + this.port + "/twilio/gather?turn=")
			.contains("<Say>Hello! How can I help you today?</Say>")
			.doesNotContain("<Connect");
		Answer turn = TwilioForms.post(url("/twilio/gather"), Map.of("CallSid", "CAtrad1", "SpeechResult", "hello there"));
		assertThat(turn.body()).contains("<Say>You said: hello there</Say>").contains("<Gather");
	}

	@Test
	void modeStreamWinsOverTheProbabilityAndIsNoStreamParameter() throws IOException {
		assertThat(admin("POST", "/realtime-api-config?probability=0", ADMIN).code()).isEqualTo(200);
		Answer answer = voice("/twilio/voice?mode=stream&businessId=b1", "CAstream1");
		assertThat(answer.body()).contains("<Connect")
			.contains("<Parameter name=\"businessId\" value=\"b1\"/>")
			.doesNotContain("name=\"mode\"");
	}

	@Test
	void adminsChangeTheProbabilityAtRunTimeAndNewCallsFollowIt() throws IOException {
		double traditional = decisions("traditional", "probability");
		try (Response response = admin("GET", "/realtime-api-config", ADMIN)) {
			assertThat(json(response).path("probability").asDouble()).isEqualTo(1.0);
		}
		try (Response response = admin("POST", "/realtime-api-config?probability=0.0", ADMIN)) {
			JsonNode body = json(response);
			assertThat(body.path("probability").asDouble()).isEqualTo(0.0);
			assertThat(body.path("configured").asDouble()).isEqualTo(1.0);
			assertThat(body.path("source").asString()).isEqualTo("admin");
		}
		assertThat(voice("/twilio/voice", "CAprob1").body()).contains("<Gather").doesNotContain("<Connect");
		assertThat(decisions("traditional", "probability")).isEqualTo(traditional + 1);
		assertThat(status().path("routing").path("mode").asString()).isEqualTo("traditional");
		Request probe = new Request.Builder().url(url("/twilio/voice"))
			.header("User-Agent", "voice-bridge-doctor/1.0")
			.post(new okhttp3.FormBody.Builder().add("CallSid", "CAprobe1").build())
			.build();
		try (Response response = this.http.newCall(probe).execute()) {
			assertThat(response.body().string()).as("the doctor checks the Stream URL whatever the routing")
				.contains("<Connect");
		}
	}

	@Test
	void theProbabilityEndpointNeedsTheAdminTokenAndAValidValue() throws IOException {
		try (Response response = admin("GET", "/realtime-api-config", null)) {
			assertThat(response.code()).isEqualTo(401);
		}
		try (Response response = admin("POST", "/realtime-api-config?probability=0", "wrong")) {
			assertThat(response.code()).isEqualTo(401);
		}
		for (String bad : new String[] { "1.5", "-0.1", "NaN", "lots", "" }) {
			try (Response response = admin("POST", "/realtime-api-config?probability=" + bad, ADMIN)) {
				assertThat(response.code()).as(bad).isEqualTo(400);
				assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
				assertThat(response.body().string()).contains("0.0 to 1.0");
			}
		}
		try (Response response = admin("GET", "/realtime-api-config", ADMIN)) {
			assertThat(json(response).path("probability").asDouble()).isEqualTo(1.0);
		}
	}

	@Test
	void aCallWhoseStreamFailedContinuesInTraditionalModeAtTheConnectAction() {
		double failover = decisions("traditional", "failover");
		voice("/twilio/voice", "CAfail1");
		assertThat(TwilioForms.post(url("/twilio/stream-status"),
				Map.of("CallSid", "CAfail1", "StreamSid", "MZfail1", "StreamEvent", "stream-error", "StreamError",
						"31920 handshake failed"))
			.status()).isEqualTo(204);
		Answer action = TwilioForms.post(url("/twilio/stream-action"), Map.of("CallSid", "CAfail1"));
		assertThat(action.body()).contains("<Gather").contains("had trouble connecting you").doesNotContain("<Hangup");
		assertThat(decisions("traditional", "failover")).isEqualTo(failover + 1);
	}

	@Test
	void aCallWhoseStreamNeverStartedContinuesInTraditionalModeAtTheConnectAction() {
		voice("/twilio/voice", "CAnever1");
		Answer action = TwilioForms.post(url("/twilio/stream-action"), Map.of("CallSid", "CAnever1"));
		assertThat(action.body()).contains("<Gather").doesNotContain("<Hangup");
		Answer turn = TwilioForms.post(url("/twilio/gather"), Map.of("CallSid", "CAnever1", "SpeechResult", "still here"));
		assertThat(turn.body()).contains("You said: still here");
	}

	@Test
	void aCallThatHungUpOnTheStreamIsNotFailedOver() throws Exception {
		FakeTwilioCall call = FakeTwilioCall.connect("ws://localhost:" + this.port + "/twilio-media", "MZhung1",
				"CAhung1");
		call.start(Map.of());
		call.stop();
		call.awaitClosed(WAIT);
		await().atMost(WAIT)
			.until(() -> TwilioForms.post(url("/twilio/stream-action"), Map.of("CallSid", "CAhung1"))
				.body()
				.contains("<Hangup/>"));
	}

	@Test
	void repeatedStreamFailuresOpenTheBreakerUntilAStreamStarts() throws Exception {
		double breaker = decisions("traditional", "breaker");
		for (String callSid : new String[] { "CAbrk1", "CAbrk2" }) {
			TwilioForms.post(url("/twilio/stream-status"), Map.of("CallSid", callSid, "StreamSid", "MZ" + callSid,
					"StreamEvent", "stream-error", "StreamError", "31920"));
		}
		JsonNode routing = status().path("routing");
		assertThat(routing.path("breaker").path("state").asString()).isEqualTo("open");
		assertThat(routing.path("mode").asString()).isEqualTo("traditional");
		assertThat(routing.path("reason").asString()).isEqualTo("breaker");
		assertThat(prometheus()).contains("voicebridge_routing_breaker_open 1.0");
		assertThat(voice("/twilio/voice", "CAbrk3").body()).contains("<Gather").doesNotContain("<Connect");
		assertThat(decisions("traditional", "breaker")).isEqualTo(breaker + 1);

		FakeTwilioCall call = FakeTwilioCall.connect("ws://localhost:" + this.port + "/twilio-media", "MZbrk4",
				"CAbrk4");
		call.start(Map.of());
		await().atMost(WAIT).until(() -> "closed".equals(status().path("routing").path("breaker").path("state").asString()));
		assertThat(prometheus()).contains("voicebridge_routing_breaker_open 0.0");
		assertThat(voice("/twilio/voice", "CAbrk5").body()).contains("<Connect");
		call.stop();
		call.awaitClosed(WAIT);
	}

	@Test
	void everyRoutingSeriesIsExposedFromTheStart() throws IOException {
		String metrics = prometheus();
		for (String mode : new String[] { "stream", "traditional" }) {
			for (String reason : new String[] { "probability", "failover", "breaker", "draining", "requested" }) {
				assertThat(metrics).contains("voicebridge_routing_decisions_total{mode=\"" + mode + "\",reason=\""
						+ reason + "\"}");
			}
		}
		assertThat(metrics).contains("voicebridge_webhook_requests_total{endpoint=\"gather\",outcome=\"answered\"}");
	}

	private Answer voice(String path, String callSid) {
		return TwilioForms.post(url(path), Map.of("CallSid", callSid, "From", "+15551230000", "To", "+15557650000"));
	}

	private Response admin(String method, String path, String token) throws IOException {
		Request.Builder request = new Request.Builder().url(url(path))
			.method(method, "POST".equals(method) ? RequestBody.create(new byte[0]) : null);
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return this.http.newCall(request.build()).execute();
	}

	private JsonNode status() throws IOException {
		try (Response response = this.http.newCall(new Request.Builder().url(url("/websocket-status")).build()).execute()) {
			return json(response);
		}
	}

	private String prometheus() throws IOException {
		try (Response response = this.http.newCall(new Request.Builder().url(url("/actuator/prometheus")).build())
			.execute()) {
			return response.body().string();
		}
	}

	private static JsonNode json(Response response) throws IOException {
		assertThat(response.code()).isEqualTo(200);
		return JsonMapper.shared().readTree(response.body().string());
	}

	private double decisions(String mode, String reason) {
		return this.meters.counter("voicebridge.routing.decisions", "mode", mode, "reason", reason).count();
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

}

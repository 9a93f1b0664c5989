package dev.voicebridge.diagnostics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.voicebridge.testing.FakeRealtimeServer;
import dev.voicebridge.testing.FakeTwilioCall;
import dev.voicebridge.testing.SharedRealtimeUpstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The funnel as an operator sees it: every request to a stream path counted and explained,
 * {@code /websocket-status} and {@code /status} naming the broken link, and the doctor agreeing.
 * Each test reads counters as differences, since the context is shared.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "voicebridge.diagnostics.stream-grace=500ms", "voicebridge.openai.api-key=sk-never-shown-123",
				"voicebridge.twilio.auth-token=token-never-shown-456", "voicebridge.twilio.validate-signatures=false",
				"voicebridge.admin-token=admin-never-shown-789-0123456789abcdef0123456789abcdef" })
@AutoConfigureMetrics
@ExtendWith(SharedRealtimeUpstream.class)
class DiagnosticsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final OkHttpClient http = new OkHttpClient();

	private final ObjectMapper json = new ObjectMapper();

	private static final FakeRealtimeServer openai = SharedRealtimeUpstream.server();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		registry.add("voicebridge.openai.realtime-url", openai::url);
	}

	@Autowired
	private MeterRegistry meters;

	@Test
	void aRequestWithoutUpgradeIsCountedAsMissingAndNamedStripped() throws IOException {
		double missing = attempts("/twilio-media", "missing");
		double rejected = handshakes("/twilio-media", "rejected", "not_upgrade");
		try (Response response = get("/twilio-media", Map.of("X-Forwarded-For", "203.0.113.9", "Connection", "close"))) {
			assertThat(response.code()).isEqualTo(400);
		}
		assertThat(attempts("/twilio-media", "missing")).isEqualTo(missing + 1);
		assertThat(handshakes("/twilio-media", "rejected", "not_upgrade")).isEqualTo(rejected + 1);
		JsonNode status = status();
		JsonNode latest = status.path("recentAttempts").get(0);
		assertThat(latest.path("path").asString()).isEqualTo("/twilio-media");
		assertThat(latest.path("upgrade").isNull()).isTrue();
		assertThat(latest.path("client").asString()).isEqualTo("203.0.113.9");
		assertThat(latest.path("reason").asString()).isEqualTo("not_upgrade");
		assertThat(ids(status)).contains("upgrade-headers-stripped");
		assertThat(status.path("funnel").path("upgradeMissing").asLong()).isPositive();
	}

	@Test
	void anUpgradeToAnUnknownPathIsNamed() throws Exception {
		double before = handshakes("other", "rejected", "unknown_path");
		try (Response response = get("/media", Map.of("Upgrade", "websocket", "Connection", "Upgrade",
				"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version", "13"))) {
			assertThat(response.code()).isEqualTo(404);
		}
		assertThat(handshakes("other", "rejected", "unknown_path")).isEqualTo(before + 1);
	}

	@Test
	void anAcceptedStreamIsCountedThroughTheFunnel() throws Exception {
		double accepted = handshakes("/twilio-media", "accepted", "ok");
		double upgrades = attempts("/twilio-media", "websocket");
		double starts = this.meters.counter("voicebridge.stream.starts").count();
		webhook("CAfunnel1");
		FakeTwilioCall call = FakeTwilioCall.connect("ws://localhost:" + this.port + "/twilio-media", "MZfunnel1",
				"CAfunnel1");
		call.start(Map.of());
		await().atMost(WAIT).until(() -> this.meters.counter("voicebridge.stream.starts").count() == starts + 1);
		assertThat(handshakes("/twilio-media", "accepted", "ok")).isEqualTo(accepted + 1);
		assertThat(attempts("/twilio-media", "websocket")).isEqualTo(upgrades + 1);
		call.stop();
		assertThat(call.awaitClosed(WAIT)).isEqualTo(1000);
	}

	@Test
	void aWebhookWhoseStreamNeverStartsCountsAsMissing() throws Exception {
		double missing = this.meters.counter("voicebridge.calls.stream.missing").count();
		webhook("CAlost1");
		await().atMost(WAIT).until(() -> this.meters.counter("voicebridge.calls.stream.missing").count() == missing + 1);
		assertThat(ids(status())).contains("streams-missing");
	}

	@Test
	void twilioStreamErrorsAreRecordedWithTheirMeaning() throws IOException {
		Request request = new Request.Builder().url(url("/twilio/stream-status"))
			.post(new FormBody.Builder().add("CallSid", "CAerr1")
				.add("StreamSid", "MZerr1")
				.add("StreamEvent", "stream-error")
				.add("StreamError", "Error 31920: Stream - WebSocket - Handshake Error")
				.build())
			.build();
		this.http.newCall(request).execute().close();
		JsonNode status = status();
		JsonNode error = status.path("streamErrors").get(0);
		assertThat(error.path("code").asInt()).isEqualTo(31920);
		assertThat(error.path("meaning").asString()).contains("101");
		assertThat(ids(status)).contains("twilio-stream-errors");
	}

	@Test
	void theTestWebSocketGreetsAndEchoes() throws Exception {
		CompletableFuture<String> greeting = new CompletableFuture<>();
		CompletableFuture<String> echo = new CompletableFuture<>();
		WebSocket socket = this.http.newWebSocket(new Request.Builder().url("ws://localhost:" + this.port + "/test-websocket").build(),
				new WebSocketListener() {
					@Override
					public void onMessage(WebSocket webSocket, String text) {
						if (!greeting.isDone()) {
							greeting.complete(text);
							webSocket.send("ping 42");
						}
						else {
							echo.complete(text);
						}
					}

					@Override
					public void onFailure(WebSocket webSocket, Throwable t, Response response) {
						greeting.completeExceptionally(t);
					}
				});
		assertThat(greeting.get(10, TimeUnit.SECONDS)).isEqualTo("{\"status\":\"connected\",\"message\":\"WebSocket is working!\"}");
		assertThat(echo.get(10, TimeUnit.SECONDS)).isEqualTo("ping 42");
		socket.close(1000, null);
	}

	@Test
	void statusListsRoutesAndUrlsAndNeverASecret() throws IOException {
		String raw;
		try (Response response = get("/websocket-status", Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "voice.example.com"))) {
			assertThat(response.header("Content-Type")).startsWith("application/json");
			raw = response.body().string();
		}
		JsonNode status = this.json.readTree(raw);
		assertThat(status.path("publicUrl").asString()).isEqualTo("https://voice.example.com");
		assertThat(status.path("streamUrl").asString()).isEqualTo("wss://voice.example.com/twilio-media");
		assertThat(status.path("routes").path("websocket").toString()).contains("/twilio-media", "/test-websocket");
		assertThat(status.path("routes").path("http").toString()).contains("/twilio/voice", "/twilio/stream-status");
		assertThat(status.path("agent").asString()).isEqualTo("openai");
		for (String field : new String[] { "webhooks", "upgradeAttempts", "upgradeMissing", "handshakesAccepted",
				"handshakesRejected", "streamsStarted", "streamsMissing", "upstreamConnected", "upstreamFailed" }) {
			assertThat(status.path("funnel").has(field)).as(field).isTrue();
		}
		assertThat(raw).doesNotContain("sk-never-shown-123", "token-never-shown-456", "admin-never-shown-789-0123456789abcdef0123456789abcdef");
		try (Response page = get("/status", Map.of())) {
			String html = page.body().string();
			assertThat(page.header("Content-Type")).startsWith("text/html");
			assertThat(html).contains("Call funnel").doesNotContain("sk-never-shown-123", "token-never-shown-456",
					"admin-never-shown-789-0123456789abcdef0123456789abcdef");
		}
	}

	@Test
	void theDoctorPassesAgainstAHealthyInstanceWithoutPollutingTheFunnel() {
		double webhooks = this.meters.counter("voicebridge.webhook.requests", "endpoint", "voice", "outcome", "answered")
			.count();
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		int exit = Doctor.run(new String[] { "http://localhost:" + this.port, "--local" }, new PrintStream(output, true,
				StandardCharsets.UTF_8), Map.of());
		String report = output.toString(StandardCharsets.UTF_8);
		assertThat(exit).as(report).isZero();
		assertThat(report).contains("All local checks passed").doesNotContain("a Twilio call can reach the agent");
		assertThat(report).contains("[ok]   reachable", "[ok]   health", "[ok]   webhook", "[ok]   upgrade",
				"[ok]   app-saw-it");
		assertThat(this.meters.counter("voicebridge.webhook.requests", "endpoint", "voice", "outcome", "answered").count())
			.isEqualTo(webhooks);
	}

	@Test
	void theDoctorSaysPlainlyThatTwilioCannotReachAPlainHttpTarget() {
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		int exit = Doctor.run(new String[] { "http://localhost:" + this.port }, new PrintStream(output, true,
				StandardCharsets.UTF_8), Map.of());
		String report = output.toString(StandardCharsets.UTF_8);
		assertThat(exit).as(report).isEqualTo(1);
		assertThat(report).contains("[FAIL] stream-url")
			.contains("Twilio only connects to https:// webhooks and wss:// streams, so a Twilio call cannot reach this service")
			.contains("a tunnel such as ngrok or cloudflared")
			.contains("--local")
			.doesNotContain("All checks passed");
	}

	@Test
	void theDoctorFailsWhenNothingListens() {
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		int exit = Doctor.run(new String[] { "http://127.0.0.1:9" }, new PrintStream(output, true, StandardCharsets.UTF_8),
				Map.of());
		assertThat(exit).isEqualTo(1);
		assertThat(output.toString(StandardCharsets.UTF_8)).contains("[FAIL] reachable");
	}

	@Test
	void theDoctorExplainsItsUsage() {
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		assertThat(Doctor.run(new String[0], new PrintStream(output, true, StandardCharsets.UTF_8), Map.of())).isEqualTo(2);
		assertThat(output.toString(StandardCharsets.UTF_8)).contains("usage: java -jar voice-bridge.jar doctor");
	}

	private void webhook(String callSid) throws IOException {
		Request request = new Request.Builder().url(url("/twilio/voice"))
			.post(new FormBody.Builder().add("CallSid", callSid).build())
			.build();
		try (Response response = this.http.newCall(request).execute()) {
			assertThat(response.code()).isEqualTo(200);
		}
	}

	/** The operator's view, with the admin token: addresses and User-Agents included. */
	private JsonNode status() throws IOException {
		try (Response response = get("/websocket-status",
				Map.of("Authorization", "Bearer admin-never-shown-789-0123456789abcdef0123456789abcdef"))) {
			return this.json.readTree(response.body().string());
		}
	}

	private Response get(String path, Map<String, String> headers) throws IOException {
		Request.Builder request = new Request.Builder().url(url(path));
		headers.forEach(request::header);
		return this.http.newCall(request.build()).execute();
	}

	private double attempts(String path, String upgrade) {
		return this.meters.counter("voicebridge.stream.upgrade.attempts", "path", path, "upgrade", upgrade).count();
	}

	private double handshakes(String path, String outcome, String reason) {
		return this.meters.counter("voicebridge.stream.handshakes", "path", path, "outcome", outcome, "reason", reason)
			.count();
	}

	private static java.util.List<String> ids(JsonNode status) {
		java.util.List<String> ids = new java.util.ArrayList<>();
		status.path("diagnosis").forEach((finding) -> ids.add(finding.path("id").asString()));
		return ids;
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

}

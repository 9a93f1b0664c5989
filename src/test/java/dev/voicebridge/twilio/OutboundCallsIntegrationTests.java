package dev.voicebridge.twilio;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.voicebridge.testing.FakeTwilioRest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outbound test calls through the real Twilio SDK against a fake Twilio REST API reached via
 * {@code TWILIO_API_BASE_URL}: the request Twilio gets, and problems when it refuses the request
 * ({@link OutboundCallFailuresIntegrationTests}: when it refuses us or fails).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "voicebridge.twilio.account-sid=ACfake", "voicebridge.twilio.auth-token=secret-token-1",
				"voicebridge.twilio.phone-number=+15005550001", "voicebridge.admin-token=admin-1-0123456789abcdef0123456789abcdef",
				"voicebridge.public-url=https://voice.example.com", "voicebridge.outbound.allowed-prefixes=+1500",
				"voicebridge.outbound.per-minute=100" })
@DirtiesContext
class OutboundCallsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final FakeTwilioRest twilio = new FakeTwilioRest();

	private final OkHttpClient http = new OkHttpClient();

	private final ObjectMapper json = new ObjectMapper();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void rest(DynamicPropertyRegistry registry) {
		registry.add("voicebridge.twilio.api-base-url", twilio::url);
	}

	@AfterAll
	static void stopRest() {
		twilio.close();
	}

	@AfterEach
	void acceptAgainAndForget() throws InterruptedException {
		twilio.refuse(null, null);
		twilio.drain();
	}

	@Test
	void placesACallWhoseWebhookRunsTheInboundFlowWithItsModeAndParameters() throws Exception {
		try (Response response = post("/calls", "{\"to\":\"+15005550006\",\"mode\":\"traditional\","
				+ "\"parameters\":{\"businessId\":\"b1\"}}", "Bearer admin-1-0123456789abcdef0123456789abcdef")) {
			assertThat(response.code()).isEqualTo(201);
			JsonNode body = this.json.readTree(response.body().string());
			assertThat(body.path("callSid").asString()).startsWith("CA");
			assertThat(body.path("webhook").asString())
				.isEqualTo("https://voice.example.com/twilio/voice?mode=traditional&businessId=b1");
		}
		RecordedRequest request = twilio.next(WAIT);
		assertThat(request.getMethod()).isEqualTo("POST");
		assertThat(request.getUrl().encodedPath()).isEqualTo("/2010-04-01/Accounts/ACfake/Calls.json");
		assertThat(request.getHeaders().get("Authorization")).isEqualTo(
				"Basic " + Base64.getEncoder().encodeToString("ACfake:secret-token-1".getBytes(StandardCharsets.UTF_8)));
		Map<String, String> form = form(request);
		assertThat(form).containsEntry("To", "+15005550006")
			.containsEntry("From", "+15005550001")
			.containsEntry("Url", "https://voice.example.com/twilio/voice?mode=traditional&businessId=b1")
			.containsEntry("Method", "POST");
	}

	@Test
	void theShortFormPlacesAStreamCall() throws Exception {
		Request request = new Request.Builder().url(url("/test-call-realtime"))
			.header("Authorization", "Bearer admin-1-0123456789abcdef0123456789abcdef")
			.post(new FormBody.Builder().add("to", "+15005550006").build())
			.build();
		try (Response response = this.http.newCall(request).execute()) {
			assertThat(response.code()).isEqualTo(201);
		}
		assertThat(form(twilio.next(WAIT))).containsEntry("Url", "https://voice.example.com/twilio/voice?mode=stream");
	}

	@Test
	void theShortFormStillAnswersAGetAsTheSamplesDo() throws Exception {
		Request request = new Request.Builder().url(url("/test-call-realtime?to=%2B15005550006"))
			.header("Authorization", "Bearer admin-1-0123456789abcdef0123456789abcdef")
			.build();
		try (Response response = this.http.newCall(request).execute()) {
			assertThat(response.code()).isEqualTo(201);
		}
		assertThat(form(twilio.next(WAIT))).containsEntry("Url", "https://voice.example.com/twilio/voice?mode=stream");
	}

	@Test
	void twilioValidationErrorsComeBackAsTheir4xxNamingTwilioCode() throws Exception {
		twilio.refuse(21211, "The 'To' number +15005550006 is not a valid phone number.");
		try (Response response = post("/calls", "{\"to\":\"+15005550006\"}", "Bearer admin-1-0123456789abcdef0123456789abcdef")) {
			assertThat(response.code()).isEqualTo(400);
			assertThat(response.header("Content-Type")).startsWith("application/problem+json");
			JsonNode problem = this.json.readTree(response.body().string());
			assertThat(problem.path("title").asString()).isEqualTo("Twilio refused the call");
			assertThat(problem.path("detail").asString())
				.isEqualTo("The 'To' number +15005550006 is not a valid phone number.");
			assertThat(problem.path("twilioCode").asInt()).isEqualTo(21211);
			assertThat(problem.path("type").asString()).isEqualTo("https://www.twilio.com/docs/errors/21211");
			assertThat(problem.path("status").asInt()).isEqualTo(400);
		}
	}

	@Test
	void invalidRequestsAreProblemsAndNothingIsPlaced() throws Exception {
		for (String body : new String[] { "{\"to\":\"12345\"}", "{\"to\":\"+15005550006\",\"mode\":\"video\"}",
				"{\"to\":\"+15005550006\",\"parameters\":{\"CallSid\":\"x\"}}" }) {
			try (Response response = post("/calls", body, "Bearer admin-1-0123456789abcdef0123456789abcdef")) {
				assertThat(response.code()).as(body).isEqualTo(400);
				assertThat(response.header("Content-Type")).startsWith("application/problem+json");
			}
		}
		assertThat(twilio.poll(Duration.ofMillis(200))).isNull();
	}

	@Test
	void placingCallsNeedsTheAdminToken() throws IOException {
		try (Response response = post("/calls", "{\"to\":\"+15005550006\"}", null)) {
			assertThat(response.code()).isEqualTo(401);
		}
	}

	private Response post(String path, String body, String authorization) throws IOException {
		Request.Builder request = new Request.Builder().url(url(path))
			.post(RequestBody.create(body, MediaType.get("application/json")));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return this.http.newCall(request.build()).execute();
	}

	private static Map<String, String> form(RecordedRequest request) {
		Map<String, String> form = new LinkedHashMap<>();
		for (String pair : request.getBody().utf8().split("&")) {
			int equals = pair.indexOf('=');
			form.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
					URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
		}
		return form;
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

}

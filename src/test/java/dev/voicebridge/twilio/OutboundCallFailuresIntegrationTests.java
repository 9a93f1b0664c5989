package dev.voicebridge.twilio;

import java.io.IOException;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.voicebridge.testing.RefusingTwilioRest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outbound test calls when the fault is not the request's: Twilio refusing our credentials or
 * account, failing, or out of reach. Each is a 502 the admin cannot fix by changing the request,
 * naming what to check on the server, and never carrying the credentials.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "voicebridge.twilio.account-sid=" + OutboundCallFailuresIntegrationTests.ACCOUNT_SID,
				"voicebridge.twilio.auth-token=" + OutboundCallFailuresIntegrationTests.AUTH_TOKEN,
				"voicebridge.twilio.phone-number=+15005550001", "voicebridge.admin-token=admin-2-0123456789abcdef0123456789abcdef",
				"voicebridge.public-url=https://voice.example.com", "voicebridge.outbound.allowed-prefixes=+1500",
				"voicebridge.outbound.per-minute=100" })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class OutboundCallFailuresIntegrationTests {

	static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";

	static final String AUTH_TOKEN = "secret-token-2";

	/** Started per run of the class: a rerun must meet Twilio refusing, not a closed port. */
	private static volatile RefusingTwilioRest twilio;

	private final OkHttpClient http = new OkHttpClient();

	private final ObjectMapper json = new ObjectMapper();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void rest(DynamicPropertyRegistry registry) {
		registry.add("voicebridge.twilio.api-base-url", () -> twilio.url());
	}

	@BeforeAll
	static void startRest() {
		twilio = new RefusingTwilioRest();
	}

	@AfterAll
	static void stopRest() {
		twilio.close();
	}

	@ParameterizedTest
	@CsvSource({ "401, 20003, Authenticate", "403, 20003, Permission Denied" })
	void twilioRefusingOurCredentialsIsA502NamingTheVariables(int status, int code, String message,
			CapturedOutput output) throws IOException {
		twilio.refuse(status, code, message);
		JsonNode problem = placeCall(502);
		assertThat(problem.path("title").asString()).isEqualTo("Twilio refused our credentials");
		assertThat(problem.path("detail").asString()).contains("Twilio answered " + status + " (" + message + ")")
			.contains("TWILIO_ACCOUNT_SID")
			.contains("TWILIO_AUTH_TOKEN");
		assertThat(problem.path("twilioCode").asInt()).isEqualTo(code);
		assertThat(output.getOut()).contains("TWILIO_AUTH_TOKEN").doesNotContain(AUTH_TOKEN);
	}

	@Test
	void twilioNotKnowingOurAccountIsA502WithoutTheAccountSid(CapturedOutput output) throws IOException {
		twilio.refuse(404, 20404, "The requested resource /2010-04-01/Accounts/" + ACCOUNT_SID
				+ "/Calls.json was not found");
		JsonNode problem = placeCall(502);
		assertThat(problem.path("title").asString()).isEqualTo("Twilio does not know our account");
		assertThat(problem.path("detail").asString()).contains("/Accounts/[redacted]/Calls.json")
			.contains("TWILIO_ACCOUNT_SID")
			.contains("TWILIO_API_BASE_URL");
		assertThat(problem.toString()).doesNotContain(ACCOUNT_SID);
		assertThat(output.getOut()).doesNotContain(ACCOUNT_SID);
	}

	@Test
	void twilioFailingIsA502KeepingItsCode() throws IOException {
		twilio.refuse(500, 20500, "An internal server error has occurred");
		JsonNode problem = placeCall(502);
		assertThat(problem.path("title").asString()).isEqualTo("Twilio could not place the call");
		assertThat(problem.path("detail").asString()).isEqualTo("An internal server error has occurred");
		assertThat(problem.path("twilioCode").asInt()).isEqualTo(20500);
		assertThat(problem.path("type").asString()).isEqualTo("https://www.twilio.com/docs/errors/20500");
	}

	@Test
	void anUnreachableTwilioIsA502() throws IOException {
		twilio.beUnreachable();
		JsonNode problem = placeCall(502);
		assertThat(problem.path("title").asString()).isEqualTo("Twilio could not be reached");
		assertThat(problem.has("twilioCode")).isFalse();
	}

	private JsonNode placeCall(int status) throws IOException {
		Request request = new Request.Builder().url("http://localhost:" + this.port + "/calls")
			.header("Authorization", "Bearer admin-2-0123456789abcdef0123456789abcdef")
			.post(RequestBody.create("{\"to\":\"+15005550006\"}", MediaType.get("application/json")))
			.build();
		try (Response response = this.http.newCall(request).execute()) {
			assertThat(response.code()).isEqualTo(status);
			assertThat(response.header("Content-Type")).startsWith("application/problem+json");
			String body = response.body().string();
			assertThat(body).doesNotContain(AUTH_TOKEN).doesNotContain(ACCOUNT_SID);
			return this.json.readTree(body);
		}
	}

}

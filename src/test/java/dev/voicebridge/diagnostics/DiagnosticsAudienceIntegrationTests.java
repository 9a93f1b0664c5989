package dev.voicebridge.diagnostics;

import java.io.IOException;
import java.util.Map;

import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Before, {@code /websocket-status} told anyone the client addresses, User-Agents and CallSids
 * it had seen and whether signatures were checked, and twenty requests from one client pushed
 * every real attempt out of its journal.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "voicebridge.admin-token=" + DiagnosticsAudienceIntegrationTests.ADMIN)
@DirtiesContext
class DiagnosticsAudienceIntegrationTests {

	static final String ADMIN = "audience-0123456789abcdef0123456789abcdef";

	private final OkHttpClient http = new OkHttpClient();

	@LocalServerPort
	private int port;

	@Test
	void strangersSeeCountsFindingsAndRoutingButNotWhoSentWhat() throws IOException {
		get("/twilio-media", Map.of("X-Forwarded-For", "203.0.113.44", "User-Agent", "caller-phone/1.0")).close();
		streamError("CAaudience1");

		JsonNode seen = status(null);
		assertThat(seen.path("audience").asString()).isEqualTo("public");
		assertThat(seen.has("signatureChecks") && !seen.path("signatureChecks").isNull()).isFalse();
		assertThat(seen.path("funnel").path("upgradeMissing").asLong()).isPositive();
		assertThat(seen.path("diagnosis").isArray()).isTrue();
		assertThat(seen.path("routing").path("mode").asString()).isNotEmpty();
		assertThat(seen.toString()).doesNotContain("203.0.113.44", "caller-phone", "CAaudience1");
		assertThat(page(null)).contains("id=\"audience\"").doesNotContain("signature checks");

		JsonNode operator = status(ADMIN);
		assertThat(operator.path("audience").asString()).isEqualTo("admin");
		assertThat(operator.path("signatureChecks").isBoolean()).isTrue();
		assertThat(operator.toString()).contains("203.0.113.44", "caller-phone/1.0", "CAaudience1");
		assertThat(page(ADMIN)).contains("signature checks").doesNotContain("id=\"audience\"");
	}

	@Test
	void aWrongTokenGetsThePublicView() throws IOException {
		get("/twilio-media", Map.of("X-Forwarded-For", "203.0.113.45")).close();
		assertThat(status("not-the-token").toString()).doesNotContain("203.0.113.45");
	}

	@Test
	void oneClientFloodingTheMediaPathCannotPushOutTheOthersAttempts() throws IOException {
		get("/twilio-media", Map.of("X-Forwarded-For", "198.51.100.20", "User-Agent", "TwilioProxy/1.1")).close();
		for (int i = 0; i < 3 * DiagnosticsJournal.KEPT; i++) {
			get("/twilio-media", Map.of("X-Forwarded-For", "203.0.113.66")).close();
		}
		JsonNode attempts = status(ADMIN).path("recentAttempts");
		long flooder = 0;
		boolean twilio = false;
		for (JsonNode attempt : attempts) {
			flooder += attempt.path("client").asString("").equals("203.0.113.66") ? 1 : 0;
			twilio |= attempt.path("client").asString("").equals("198.51.100.20");
		}
		assertThat(flooder).isEqualTo(DiagnosticsJournal.SHARE);
		assertThat(twilio).as("the real attempt is still there").isTrue();
	}

	private void streamError(String callSid) throws IOException {
		Request request = new Request.Builder().url(url("/twilio/stream-status"))
			.post(new FormBody.Builder().add("CallSid", callSid)
				.add("StreamSid", "MZaudience1")
				.add("StreamEvent", "stream-error")
				.add("StreamError", "31920 handshake")
				.build())
			.build();
		this.http.newCall(request).execute().close();
	}

	private JsonNode status(String token) throws IOException {
		try (Response response = get("/websocket-status", auth(token))) {
			return JsonMapper.shared().readTree(response.body().string());
		}
	}

	private String page(String token) throws IOException {
		try (Response response = get("/status", auth(token))) {
			return response.body().string();
		}
	}

	private static Map<String, String> auth(String token) {
		return (token != null) ? Map.of("Authorization", "Bearer " + token) : Map.of();
	}

	private Response get(String path, Map<String, String> headers) throws IOException {
		Request.Builder request = new Request.Builder().url(url(path));
		headers.forEach(request::header);
		return this.http.newCall(request.build()).execute();
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

}

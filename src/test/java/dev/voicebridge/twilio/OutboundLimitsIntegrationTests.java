package dev.voicebridge.twilio;

import java.io.IOException;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.voicebridge.testing.FakeTwilioRest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Toll fraud through the admin token: before, any E.164 number could be dialled as often as
 * asked, and the token guessed as fast as the network allowed.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "voicebridge.twilio.account-sid=ACfake", "voicebridge.twilio.auth-token=secret-token-limits",
				"voicebridge.twilio.phone-number=+15005550001", "voicebridge.admin-token=" + OutboundLimitsIntegrationTests.ADMIN,
				"voicebridge.public-url=https://voice.example.com", "voicebridge.outbound.allowed-prefixes=+1500",
				"voicebridge.outbound.per-minute=2", "voicebridge.limits.admin-failures=3" })
@DirtiesContext
class OutboundLimitsIntegrationTests {

	static final String ADMIN = "limits-0123456789abcdef0123456789abcdef";

	private static final FakeTwilioRest twilio = new FakeTwilioRest();

	private final OkHttpClient http = new OkHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meters;

	@DynamicPropertySource
	static void rest(DynamicPropertyRegistry registry) {
		registry.add("voicebridge.twilio.api-base-url", twilio::url);
	}

	@AfterAll
	static void stopRest() {
		twilio.close();
	}

	@Test
	void premiumAndInternationalNumbersAreRefusedAndTheMinutesCapHolds() throws Exception {
		try (Response refused = call("+19005550100", ADMIN)) {
			assertThat(refused.code()).isEqualTo(403);
			assertThat(refused.body().string()).contains("OUTBOUND_ALLOWED_PREFIXES");
		}
		int placed = 0;
		int limited = 0;
		String retryAfter = null;
		// the minute may turn over mid-test: then the cap starts again, and a fourth call proves it as well
		for (int i = 0; i < 4 && limited == 0; i++) {
			try (Response response = call("+15005550006", ADMIN)) {
				if (response.code() == 201) {
					placed++;
				}
				else if (response.code() == 429) {
					limited++;
					retryAfter = response.header("Retry-After");
					assertThat(response.body().string()).contains("OUTBOUND_CALLS_PER_MINUTE");
				}
			}
		}
		assertThat(limited).isEqualTo(1);
		assertThat(Integer.parseInt(retryAfter)).isBetween(1, 60);
		for (int i = 0; i < placed; i++) {
			assertThat(twilio.next(Duration.ofSeconds(10))).isNotNull();
		}
		assertThat(twilio.poll(Duration.ofMillis(200))).as("Twilio was asked only for the calls placed").isNull();
		assertThat(this.meters.counter("voicebridge.outbound.calls", "outcome", "rate_limited").count()).isEqualTo(1);
	}

	@Test
	void anAddressThatKeepsGuessingTheTokenIsRefusedEvenWithTheRightOne() throws Exception {
		// the guesser, as the trusted proxy in front (loopback here) names it
		String guesser = "203.0.113.9";
		for (int i = 0; i < 3; i++) {
			try (Response wrong = call("+15005550006", "guess-" + i, guesser)) {
				assertThat(wrong.code()).isEqualTo(401);
			}
		}
		try (Response throttled = call("+15005550006", ADMIN, guesser)) {
			assertThat(throttled.code()).isEqualTo(429);
			assertThat(throttled.header("Retry-After")).isEqualTo("60");
		}
		try (Response other = call("+19005550100", ADMIN, "198.51.100.7")) {
			assertThat(other.code()).as("another client is not held up: refused for its number, not throttled")
				.isEqualTo(403);
		}
		assertThat(this.meters.counter("voicebridge.admin.refusals", "reason", "throttled").count()).isEqualTo(1);
		assertThat(twilio.poll(Duration.ofMillis(200))).isNull();
	}

	private Response call(String to, String token) throws IOException {
		return call(to, token, null);
	}

	private Response call(String to, String token, String forwardedFor) throws IOException {
		Request.Builder request = new Request.Builder().url("http://localhost:" + this.port + "/calls")
			.header("Authorization", "Bearer " + token)
			.post(RequestBody.create("{\"to\":\"" + to + "\"}", MediaType.get("application/json")));
		if (forwardedFor != null) {
			request.header("X-Forwarded-For", forwardedFor);
		}
		return this.http.newCall(request.build()).execute();
	}

}

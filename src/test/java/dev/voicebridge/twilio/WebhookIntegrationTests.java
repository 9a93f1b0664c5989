package dev.voicebridge.twilio;

import java.io.IOException;

import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Twilio's HTTP side over real HTTP: the TwiML a call gets, the URLs in it as the edge sees
 * them, and the callbacks.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureMetrics
class WebhookIntegrationTests {

	private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

	private final OkHttpClient http = new OkHttpClient();

	@LocalServerPort
	private int port;

	@Test
	void behindATlsTerminatingProxyTheStreamUrlIsWssOnThePublicHost() throws IOException {
		Request request = new Request.Builder().url(url("/twilio/voice?businessId=b1"))
			.header("X-Forwarded-Proto", "https")
			.header("X-Forwarded-Host", "my-app.up.railway.app")
			.post(new FormBody.Builder().add("CallSid", "CA123")
				.add("From", "+15551230000")
				.add("To", "+15557650000")
				.add("Direction", "inbound")
				.add("AccountSid", "ACabc")
				.build())
			.build();
		try (Response response = this.http.newCall(request).execute()) {
			assertThat(response.code()).isEqualTo(200);
			assertThat(response.header("Content-Type")).isEqualTo("application/xml;charset=UTF-8");
			assertThat(response.body().string()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
					+ "<Connect action=\"https://my-app.up.railway.app/twilio/stream-action\" method=\"POST\">"
					+ "<Stream statusCallback=\"https://my-app.up.railway.app/twilio/stream-status\""
					+ " statusCallbackMethod=\"POST\" url=\"wss://my-app.up.railway.app/twilio-media\">"
					+ "<Parameter name=\"CallSid\" value=\"CA123\"/><Parameter name=\"From\" value=\"+15551230000\"/>"
					+ "<Parameter name=\"To\" value=\"+15557650000\"/><Parameter name=\"Direction\" value=\"inbound\"/>"
					+ "<Parameter name=\"businessId\" value=\"b1\"/></Stream></Connect></Response>");
		}
	}

	@Test
	void getWebhooksKeepTwilioParametersOutOfTheOperatorsOwn() throws IOException {
		Request request = new Request.Builder()
			.url(url("/twilio/voice?CallSid=CA9&AccountSid=AC1&From=%2B1555&To=%2B1666&Direction=inbound&tenant=t%207"))
			.get()
			.build();
		try (Response response = this.http.newCall(request).execute()) {
			String twiml = response.body().string();
			assertThat(twiml).contains("<Parameter name=\"CallSid\" value=\"CA9\"/>")
				.contains("<Parameter name=\"tenant\" value=\"t 7\"/>")
				.doesNotContain("AccountSid");
			// no edge in front: a local URL keeps plain ws:// since there is no TLS to have
			assertThat(twiml).contains("url=\"ws://localhost:" + this.port + "/twilio-media\"");
		}
	}

	@Test
	void streamStatusCallbacksAnswer204AndAreCounted() throws IOException {
		Request request = new Request.Builder().url(url("/twilio/stream-status"))
			.post(new FormBody.Builder().add("CallSid", "CA1")
				.add("StreamSid", "MZ1")
				.add("StreamEvent", "stream-error")
				.add("StreamError", "31920 Stream - WebSocket - Handshake Error")
				.build())
			.build();
		try (Response response = this.http.newCall(request).execute()) {
			assertThat(response.code()).isEqualTo(204);
		}
		assertThat(scrape()).containsPattern("voicebridge_stream_status_total\\{event=\"stream-error\"[^}]*\\} [1-9]");
	}

	@Test
	void jsonEndpointsAnswerJsonToBrowsersDespiteTwiliosXmlModule() throws IOException {
		Request request = new Request.Builder().url(url("/actuator/health")).header("Accept", BROWSER_ACCEPT).build();
		try (Response response = this.http.newCall(request).execute()) {
			assertThat(response.header("Content-Type")).contains("json");
			assertThat(response.body().string()).contains("\"status\":\"UP\"");
		}
	}

	@Test
	void healthProbesAndPrometheusAreExposedWithHelpText() throws IOException {
		for (String probe : new String[] { "/actuator/health/liveness", "/actuator/health/readiness" }) {
			try (Response response = this.http.newCall(new Request.Builder().url(url(probe)).build()).execute()) {
				assertThat(response.code()).as(probe).isEqualTo(200);
			}
		}
		this.http.newCall(new Request.Builder().url(url("/twilio/voice?CallSid=CA7")).build()).execute().close();
		assertThat(scrape()).contains("# HELP voicebridge_webhook_requests_total")
			.containsPattern("voicebridge_webhook_requests_total\\{endpoint=\"voice\",outcome=\"answered\"\\} [1-9]")
			.contains("voicebridge_calls_active")
			.contains("voicebridge_media_frames_total{direction=\"inbound\"}")
			.contains("voicebridge_upstream_connects_total{outcome=\"success\"}");
	}

	@Test
	void invalidWebhookInputGetsAClear400() throws IOException {
		String longValue = "x".repeat(600);
		for (String query : new String[] { "", "?CallSid=not-a-sid", "?CallSid=CA1&note=" + longValue }) {
			try (Response response = this.http.newCall(new Request.Builder().url(url("/twilio/voice" + query)).build())
				.execute()) {
				assertThat(response.code()).as(query).isEqualTo(400);
				assertThat(response.body().string()).as(query).containsAnyOf("CallSid", "longer than");
			}
		}
	}

	@Test
	void adminEndpointsDoNotExistWithoutAnAdminToken() throws IOException {
		Request request = new Request.Builder().url(url("/admin/calls")).header("Authorization", "Bearer anything").build();
		try (Response response = this.http.newCall(request).execute()) {
			assertThat(response.code()).isEqualTo(404);
		}
	}

	@Test
	void onlyHealthInfoAndPrometheusAreExposed() throws IOException {
		try (Response response = this.http.newCall(new Request.Builder().url(url("/actuator/env")).build()).execute()) {
			assertThat(response.code()).isEqualTo(404);
		}
	}

	private String scrape() throws IOException {
		try (Response response = this.http.newCall(new Request.Builder().url(url("/actuator/prometheus")).build())
			.execute()) {
			return response.body().string();
		}
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	@Test
	void theRealtimeApiConfigIsHiddenWithoutAnAdminToken() throws IOException {
		Request request = new Request.Builder().url("http://localhost:" + this.port + "/realtime-api-config").build();
		try (Response response = this.http.newCall(request).execute()) {
			assertThat(response.code()).isEqualTo(404);
		}
	}

}

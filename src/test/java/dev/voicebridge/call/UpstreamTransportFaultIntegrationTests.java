package dev.voicebridge.call;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.Dns;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;

import dev.voicebridge.testing.FakeRealtimeServer;
import dev.voicebridge.testing.FakeTwilioCall;
import dev.voicebridge.testing.SharedRealtimeUpstream;
import dev.voicebridge.testing.TwilioForms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The rows of the fault matrix that need their own upstream: a host that does not resolve, and
 * one that does not speak TLS. The upstream is {@code wss://openai.test}, resolved by the test's
 * own DNS to the fake, which answers in plain HTTP.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "voicebridge.openai.api-key=sk-test", "voicebridge.twilio.validate-signatures=false", "voicebridge.openai.connect-timeout=2s",
				"voicebridge.fallback.message=Please hold for a person." })
@ExtendWith(SharedRealtimeUpstream.class)
class UpstreamTransportFaultIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final String HOST = "openai.test";

	private static final FakeRealtimeServer openai = SharedRealtimeUpstream.server();

	/** Whether {@link #HOST} resolves. */
	private static volatile boolean resolves = true;

	@LocalServerPort
	private int port;

	@Autowired
	private CallRegistry calls;

	@Autowired
	private MeterRegistry meters;

	/** The service's upstream client, with a DNS the test controls. */
	@TestBean
	private OkHttpClient upstreamHttpClient;

	static OkHttpClient upstreamHttpClient() {
		Dns dns = (hostname) -> {
			if (!resolves && HOST.equals(hostname)) {
				throw new UnknownHostException(hostname + ": Name or service not known");
			}
			return List.of(InetAddress.getLoopbackAddress());
		};
		return new OkHttpClient.Builder().dns(dns)
			.connectTimeout(Duration.ofSeconds(2))
			.readTimeout(Duration.ZERO)
			.writeTimeout(Duration.ZERO)
			.build();
	}

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		registry.add("voicebridge.openai.realtime-url",
				() -> "wss://" + HOST + ":" + openai.port() + "/v1/realtime");
	}

	@BeforeEach
	void resetUpstream() {
		resolves = true;
	}

	@Test
	void anUpstreamHostThatDoesNotResolveMovesTheCallerToTraditionalMode() throws Exception {
		resolves = false;
		double errors = this.meters.counter("voicebridge.upstream.connects", "outcome", "error").count();
		String callSid = "CAdns1";
		try (FakeTwilioCall call = connect(callSid)) {
			call.start(Map.of());
			assertThat(call.awaitClosed(WAIT)).isEqualTo(1011);
		}
		assertServed(callSid, "<Gather");
		assertThat(this.meters.counter("voicebridge.upstream.connects", "outcome", "error").count())
			.isEqualTo(errors + 1);
	}

	@Test
	void anUpstreamThatDoesNotSpeakTlsMovesTheCallerToTraditionalMode() throws Exception {
		String callSid = "CAtls1";
		try (FakeTwilioCall call = connect(callSid)) {
			call.start(Map.of());
			assertThat(call.awaitClosed(WAIT)).isEqualTo(1011);
		}
		assertServed(callSid, "<Gather");
	}

	private void assertServed(String callSid, String twiml) throws Exception {
		await().atMost(WAIT).until(() -> this.calls.outcomeOf(callSid).isPresent());
		assertThat(this.calls.outcomeOf(callSid)).contains(CallOutcome.AGENT_FAILED);
		assertThat(connectAction(callSid)).contains(twiml);
	}

	private FakeTwilioCall connect(String callSid) throws InterruptedException {
		return FakeTwilioCall.connect("ws://localhost:" + this.port + "/twilio-media", "MZ" + callSid.substring(2),
				callSid);
	}

	private String connectAction(String callSid) {
		return TwilioForms.connectAction(this.port, callSid);
	}

}

package dev.voicebridge.call;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.voicebridge.testing.Audio;
import dev.voicebridge.testing.FakeRealtimeServer;
import dev.voicebridge.testing.FakeTwilioCall;
import dev.voicebridge.testing.SharedRealtimeUpstream;
import dev.voicebridge.testing.TwilioForms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Whatever OpenAI does (refuse, time out, fail, drop, expire) the caller is never left in
 * silence: the stream ends, and the Connect action continues the call in traditional mode (the
 * caller had not heard the agent yet) or plays the fallback and dials the fallback number. Long
 * calls outlive the Realtime session limit on a renewed session. The whole matrix of faults and
 * phases: {@link UpstreamFaultMatrixIntegrationTests}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "voicebridge.openai.api-key=sk-test", "voicebridge.twilio.validate-signatures=false", "voicebridge.openai.connect-timeout=1s",
				"voicebridge.openai.session-renew-after=1s", "voicebridge.fallback.message=Please hold for a person.",
				"voicebridge.fallback.number=+15005550006" })
@ExtendWith(SharedRealtimeUpstream.class)
class UpstreamFailureIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final FakeRealtimeServer openai = SharedRealtimeUpstream.server();

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private CallRegistry calls;

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		registry.add("voicebridge.openai.realtime-url", openai::url);
	}

	@Test
	void everyRefusedOrFailedConnectMovesTheCallerOnAndIsCounted() throws Exception {
		for (int status : List.of(401, 403, 429, 500, 503)) {
			String outcome = (status < 500) ? "rejected" : "error";
			double before = connects(outcome);
			openai.refuseWith(status);
			String callSid = "CArefused" + status;
			try (FakeTwilioCall call = connect(callSid)) {
				call.start(Map.of());
				assertThat(call.awaitClosed(WAIT)).as("HTTP %d", status).isEqualTo(1011);
			}
			await().atMost(WAIT).until(() -> connects(outcome) == before + 1);
			assertThat(connectAction(callSid)).as("HTTP %d: the caller had heard nothing yet", status)
				.contains("<Gather")
				.doesNotContain("<Hangup");
		}
	}

	@Test
	void anUpstreamThatNeverAnswersTimesOutIntoTraditionalMode() throws Exception {
		double before = connects("timeout");
		openai.stall(true);
		try (FakeTwilioCall call = connect("CAstalled1")) {
			call.start(Map.of());
			assertThat(call.awaitClosed(WAIT)).isEqualTo(1011);
		}
		assertThat(connects("timeout")).isEqualTo(before + 1);
		assertThat(connectAction("CAstalled1")).contains("<Gather");
	}

	@Test
	void aFatalErrorEventAfterTheAgentSpokeEndsTheAgentWithTheFallback() throws Exception {
		double fatal = this.meters.counter("voicebridge.upstream.errors", "kind", "fatal").count();
		try (FakeTwilioCall call = connect("CAfatal1")) {
			var upstream = openai.nextConnection(WAIT);
			upstream.next("session.update", WAIT);
			call.start(Map.of());
			call.media(Audio.frame(1));
			upstream.next("input_audio_buffer.append", WAIT);
			upstream.delta("resp_1", "item_1", Audio.frame(2, 160));
			call.next("media", WAIT);
			upstream.error("session_expired", "Your session hit the maximum duration of 60 minutes.");
			assertThat(call.awaitClosed(WAIT)).isEqualTo(1011);
			assertThat(upstream.awaitClosed(WAIT)).isEqualTo(1000);
		}
		assertThat(this.meters.counter("voicebridge.upstream.errors", "kind", "fatal").count()).isEqualTo(fatal + 1);
		assertThat(connectAction("CAfatal1")).contains("<Say>Please hold for a person.</Say>");
	}

	@Test
	void aLongCallMovesToARenewedSessionThatKnowsTheConversation() throws Exception {
		double renewed = this.meters.counter("voicebridge.upstream.disconnects", "reason", "session_limit").count();
		try (FakeTwilioCall call = connect("CAlong1")) {
			var first = openai.nextConnection(WAIT);
			first.next("session.update", WAIT);
			call.start(Map.of());
			first.callerTranscript("I want to change my delivery address");
			first.agentTranscript("Sure, your order now ships to Elm Street on Monday");

			var second = openai.nextConnection(WAIT);
			String instructions = second.next("session.update", WAIT).path("session").path("instructions").asText();
			assertThat(instructions).contains("Caller: I want to change my delivery address")
				.contains("Agent: Sure, your order now ships to Elm Street on Monday")
				.contains("already in progress");
			assertThat(first.awaitClosed(WAIT)).isEqualTo(1000);

			String frame = Audio.frame(123);
			call.media(frame);
			assertThat(second.next("input_audio_buffer.append", WAIT).path("audio").asText()).isEqualTo(frame);
			String answer = Audio.frame(124, 160);
			second.delta("resp_9", "item_9", answer);
			assertThat(call.next("media", WAIT).path("media").path("payload").asText()).isEqualTo(answer);
			assertThat(this.calls.activeCount()).isEqualTo(1);
		}
		assertThat(this.meters.counter("voicebridge.upstream.disconnects", "reason", "session_limit").count())
			.isGreaterThanOrEqualTo(renewed + 1);
	}

	private FakeTwilioCall connect(String callSid) throws InterruptedException {
		FakeTwilioCall call = FakeTwilioCall.connect("ws://localhost:" + this.port + "/twilio-media",
				"MZ" + callSid.substring(2), callSid);
		return call;
	}

	private String connectAction(String callSid) {
		await().atMost(WAIT).until(() -> this.calls.outcomeOf(callSid).isPresent()
				|| this.calls.active().stream().noneMatch((call) -> callSid.equals(call.callSid())));
		return TwilioForms.connectAction(this.port, callSid);
	}

	private double connects(String outcome) {
		return this.meters.counter("voicebridge.upstream.connects", "outcome", outcome).count();
	}

}

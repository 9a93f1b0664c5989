package dev.voicebridge.call;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
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
 * A call that outlives its Realtime session (renewed here after 1 s) loses nothing: the fresh
 * session takes over only between turns, knows what the caller actually heard, is told what was
 * said since it was seeded, and is never asked to truncate an item it does not know. A renewal
 * that fails leaves the call on its session; the call's session failing mid-renewal ends the
 * call like any fault.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "voicebridge.openai.api-key=sk-test", "voicebridge.twilio.validate-signatures=false", "voicebridge.openai.connect-timeout=2s",
				"voicebridge.openai.session-renew-after=1s", "voicebridge.fallback.message=Please hold for a person." })
@ExtendWith(OutputCaptureExtension.class)
@ExtendWith(SharedRealtimeUpstream.class)
class SessionRenewalIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final FakeRealtimeServer openai = SharedRealtimeUpstream.server();

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private CallRegistry calls;

	private static int callNumber;

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		registry.add("voicebridge.openai.realtime-url", openai::url);
	}

	@Test
	void theRenewalTakesOverOnlyOnceTheCallersCommittedQuestionIsAnswered(CapturedOutput output) throws Exception {
		String callSid = nextCallSid();
		try (FakeTwilioCall call = connect(callSid)) {
			var first = started(call);
			// the caller asked something: committed, not answered yet
			first.speechStarted();
			first.speechStopped();
			first.committed("item_question");

			var second = openai.nextConnection(WAIT);
			second.next("session.update", WAIT);
			await().atMost(WAIT).until(() -> output.getOut().contains("renewed session ready for callSid=" + callSid));
			assertThat(first.isClosed()).as("the question is still to be answered on the first session").isFalse();
			String during = Audio.frame(11);
			call.media(during);
			assertThat(nextAppend(first)).isEqualTo(during);

			// said on the old session after the renewal was seeded
			first.callerTranscript("I need a refund for order 42");
			first.responseCreated("resp_answer");
			first.delta("resp_answer", "item_answer", Audio.frame(12, 160));
			call.next("media", WAIT);
			first.responseDone("resp_answer");

			assertThat(first.awaitClosed(WAIT)).isEqualTo(1000);
			assertThat(second.next("session.update", WAIT).path("session").path("instructions").asString())
				.as("the takeover brings the renewal up to date")
				.contains("Caller: I need a refund for order 42");
			String after = Audio.frame(13);
			call.media(after);
			assertThat(nextAppend(second)).isEqualTo(after);
		}
		// what the caller said seeds the session, but is personal data: not in the log by default
		assertThat(output.getOut()).contains("caller said callSid=" + callSid + ": (7 words; LOG_TRANSCRIPTS=true logs them)")
			.doesNotContain("order 42");
	}

	@Test
	void aFreshSessionIsSeededWithWhatTheCallerHeardAndNeverTruncatesTheOldSessionsItems() throws Exception {
		try (FakeTwilioCall call = connect(nextCallSid())) {
			call.playMarks(false);
			var first = started(call);
			first.responseCreated("resp_1");
			// two deltas of 100 ms, each followed by a mark
			first.delta("resp_1", "item_1", Audio.frame(21, 800));
			first.delta("resp_1", "item_1", Audio.frame(25, 800));
			assertThat(call.next("mark", WAIT).path("mark").path("name").asString()).isEqualTo("1");
			call.markPlayed("1");
			// a frame behind the mark on Twilio's socket: once it is upstream, the mark was taken
			String behind = Audio.frame(20);
			call.media(behind);
			assertThat(nextAppend(first)).isEqualTo(behind);
			// the caller heard half (the first delta, 100 ms), then spoke over the agent
			first.speechStarted();
			assertThat(first.next("conversation.item.truncate", WAIT).path("audio_end_ms").asLong()).isEqualTo(100);
			first.agentTranscript("item_1", "one two three four five six seven eight");
			first.speechStopped();
			first.committed("item_2");
			first.responseCreated("resp_2");
			first.delta("resp_2", "item_3", Audio.frame(22, 160));
			call.next("media", WAIT);
			first.responseDone("resp_2");

			var second = openai.nextConnection(WAIT);
			List<String> instructions = new ArrayList<>();
			instructions.add(second.next("session.update", WAIT).path("session").path("instructions").asString());
			assertThat(first.awaitClosed(WAIT)).isEqualTo(1000);
			String probe = Audio.frame(23);
			call.media(probe);
			while (true) {
				JsonNode event = second.nextOf(WAIT, "session.update", "input_audio_buffer.append");
				if (event.path("type").asString().equals("input_audio_buffer.append")) {
					assertThat(event.path("audio").asString()).isEqualTo(probe);
					break;
				}
				instructions.add(event.path("session").path("instructions").asString());
			}
			assertThat(instructions.get(instructions.size() - 1))
				.contains("Agent (cut off by the caller): one two three four...")
				.doesNotContain("five six");

			// item_3 of the old session is still playing (its mark unplayed): a barge-in now clears
			// Twilio, but the new session is not asked to truncate an item it never had
			second.speechStarted();
			call.next("clear", WAIT);
			String after = Audio.frame(24);
			call.media(after);
			assertThat(nextAppend(second)).isEqualTo(after);
			assertThat(second.types()).doesNotContain("conversation.item.truncate");
		}
	}

	@Test
	void aRenewalThatIsRefusedLeavesTheCallOnItsSession() throws Exception {
		double refused = this.meters.counter("voicebridge.upstream.connects", "outcome", "error").count();
		try (FakeTwilioCall call = connect(nextCallSid())) {
			var first = started(call);
			openai.refuseWith(500);
			await().atMost(WAIT)
				.until(() -> this.meters.counter("voicebridge.upstream.connects", "outcome", "error").count() > refused);
			String frame = Audio.frame(31);
			call.media(frame);
			assertThat(nextAppend(first)).isEqualTo(frame);
			assertThat(first.isClosed()).isFalse();
			assertThat(this.calls.activeCount()).isEqualTo(1);
		}
	}

	@Test
	void theCallsSessionFailingDuringARenewalEndsTheCallAndTheRenewal() throws Exception {
		String callSid = nextCallSid();
		try (FakeTwilioCall call = connect(callSid)) {
			var first = started(call);
			first.responseCreated("resp_1");
			first.delta("resp_1", "item_1", Audio.frame(41, 160));
			call.next("media", WAIT);
			openai.autoConfigure(false);
			var second = openai.nextConnection(WAIT);
			second.next("session.update", WAIT);
			first.closeWith(1011);
			assertThat(call.awaitClosed(WAIT)).isEqualTo(1011);
			assertThat(second.awaitClosed(WAIT)).as("the renewal goes with the call").isEqualTo(1000);
		}
		await().atMost(WAIT).until(() -> this.calls.outcomeOf(callSid).isPresent());
		assertThat(this.calls.outcomeOf(callSid)).contains(CallOutcome.AGENT_FAILED);
		assertThat(connectAction(callSid)).contains("<Say>Please hold for a person.</Say>");
	}

	private static FakeRealtimeServer.Connection started(FakeTwilioCall call) throws InterruptedException {
		var upstream = openai.nextConnection(WAIT);
		upstream.next("session.update", WAIT);
		call.start(Map.of());
		String probe = Audio.frame(-1);
		call.media(probe);
		assertThat(nextAppend(upstream)).isEqualTo(probe);
		return upstream;
	}

	private static String nextAppend(FakeRealtimeServer.Connection upstream) throws InterruptedException {
		return upstream.next("input_audio_buffer.append", WAIT).path("audio").asString();
	}

	private static String nextCallSid() {
		return String.format("CArenew%026d", ++callNumber);
	}

	private FakeTwilioCall connect(String callSid) throws InterruptedException {
		return FakeTwilioCall.connect("ws://localhost:" + this.port + "/twilio-media", "MZ" + callSid.substring(2),
				callSid);
	}

	private String connectAction(String callSid) {
		return TwilioForms.connectAction(this.port, callSid);
	}

}

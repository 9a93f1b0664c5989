package dev.voicebridge.call;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
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
import dev.voicebridge.testing.FakeTwilioRest;
import dev.voicebridge.testing.SharedRealtimeUpstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agent's call-control tools in the GA function-call flow: the call is hung up or transferred
 * through Twilio's REST API ({@code Call.updater}), so it works on any instance, and only after
 * the agent's last words have actually been heard.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "voicebridge.openai.api-key=sk-test", "voicebridge.twilio.account-sid=ACfake",
				"voicebridge.twilio.auth-token=secret-token-2", "voicebridge.twilio.validate-signatures=false",
				"voicebridge.agent.transfer-number=+15005550010" })
@ExtendWith(SharedRealtimeUpstream.class)
class CallToolsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final FakeRealtimeServer openai = SharedRealtimeUpstream.server();

	private static final FakeTwilioRest twilio = new FakeTwilioRest();

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meters;

	@DynamicPropertySource
	static void fakes(DynamicPropertyRegistry registry) {
		registry.add("voicebridge.openai.realtime-url", openai::url);
		registry.add("voicebridge.twilio.api-base-url", twilio::url);
	}

	@AfterAll
	static void stopFakes() {
		twilio.close();
	}

	@BeforeEach
	void reset() throws InterruptedException {
		twilio.drain();
	}

	@Test
	void theSessionOffersEndAndTransferTools() throws Exception {
		try (FakeTwilioCall call = connect("CAtools0")) {
			var upstream = openai.nextConnection(WAIT);
			JsonNode session = upstream.next("session.update", WAIT).path("session");
			List<String> names = new ArrayList<>();
			session.path("tools").forEach((tool) -> names.add(tool.path("name").asString()));
			assertThat(names).containsExactly("end_call", "transfer_call");
			assertThat(session.path("tool_choice").asString()).isEqualTo("auto");
		}
	}

	@Test
	void endCallHangsUpThroughTwilioOnceTheGoodbyeHasBeenHeard() throws Exception {
		double completed = this.meters.counter("voicebridge.calls", "agent", "openai", "profile", "default", "outcome", "completed").count();
		String callSid = "CA" + "e".repeat(32);
		FakeTwilioCall call = connect(callSid);
		call.playMarks(false);
		var upstream = started(call);

		String mark = agentSaysGoodbyeAfter(upstream, call, "end_call");
		assertThat(twilio.poll(Duration.ofMillis(300))).as("nothing before the goodbye was heard").isNull();
		call.markPlayed(mark);

		RecordedRequest update = twilio.next(WAIT);
		assertThat(update.getUrl().encodedPath()).isEqualTo("/2010-04-01/Accounts/ACfake/Calls/" + callSid + ".json");
		assertThat(twiml(update)).contains("<Hangup/>");
		// Twilio then stops the stream: the agent ended the call, so it completed
		call.stop();
		call.awaitClosed(WAIT);
		await().atMost(WAIT)
			.until(() -> this.meters.counter("voicebridge.calls", "agent", "openai", "profile", "default", "outcome", "completed")
				.count() == completed + 1);
	}

	@Test
	void transferCallDialsTheTransferNumberThroughTwilio() throws Exception {
		String callSid = "CA" + "7".repeat(32);
		FakeTwilioCall call = connect(callSid);
		call.playMarks(false);
		var upstream = started(call);

		String mark = agentSaysGoodbyeAfter(upstream, call, "transfer_call");
		call.markPlayed(mark);

		RecordedRequest update = twilio.next(WAIT);
		assertThat(update.getUrl().encodedPath()).endsWith("/Calls/" + callSid + ".json");
		assertThat(twiml(update)).contains("<Dial>+15005550010</Dial>");
		call.stop();
	}

	@Test
	void aToolCallOfAResponseTheCallerInterruptedIsNotCarriedOut() throws Exception {
		FakeTwilioCall call = connect("CA" + "8".repeat(32));
		var upstream = started(call);
		upstream.responseCreated("resp_1");
		upstream.delta("resp_1", "item_1", Audio.frame(9, 1600));
		call.next("media", WAIT);
		upstream.speechStarted();
		assertThat(upstream.next("response.cancel", WAIT).path("response_id").asString()).isEqualTo("resp_1");
		upstream.functionCall("resp_1", "call_9", "end_call");
		upstream.responseDone("resp_1", "cancelled");

		assertCallGoesOnWithoutTools(call, upstream);
	}

	@Test
	void aToolCallOfAResponseTheServerCancelledIsNotCarriedOut() throws Exception {
		FakeTwilioCall call = connect("CA" + "9".repeat(32));
		var upstream = started(call);
		upstream.responseCreated("resp_1");
		upstream.functionCall("resp_1", "call_10", "transfer_call");
		upstream.responseDone("resp_1", "cancelled");

		assertCallGoesOnWithoutTools(call, upstream);
	}

	/** The call goes on, and no tool output and no new response went upstream. */
	private void assertCallGoesOnWithoutTools(FakeTwilioCall call, FakeRealtimeServer.Connection upstream)
			throws InterruptedException {
		relayedUpTo(call, upstream);
		assertThat(upstream.types()).doesNotContain("conversation.item.create").doesNotContain("response.create");
		call.stop();
		assertThat(call.awaitClosed(WAIT)).isEqualTo(1000);
	}

	/**
	 * Returns once the relay has handled every upstream event sent so far and everything it sent
	 * upstream because of them has arrived: a later response's audio reaches the caller (events
	 * are handled in order), then a caller frame reaches the upstream (sends are in order).
	 */
	private static void relayedUpTo(FakeTwilioCall call, FakeRealtimeServer.Connection upstream)
			throws InterruptedException {
		String marker = Audio.frame(-8, 160);
		upstream.delta("resp_probe", "item_probe", marker);
		while (!marker.equals(call.next("media", WAIT).path("media").path("payload").asString())) {
			// earlier audio
		}
		String probe = Audio.frame(-7);
		call.media(probe);
		while (!probe.equals(upstream.next("input_audio_buffer.append", WAIT).path("audio").asString())) {
			// earlier caller audio
		}
	}

	/**
	 * The model calls a tool; once the response that called it is done (never before: OpenAI
	 * would refuse a second active response), it gets the tool's output and is asked to respond;
	 * its spoken reply goes to the caller. Returns the name of the mark after that reply.
	 */
	private String agentSaysGoodbyeAfter(FakeRealtimeServer.Connection upstream, FakeTwilioCall call, String tool)
			throws InterruptedException {
		upstream.responseCreated("resp_1");
		upstream.functionCall("resp_1", "call_42", tool);
		relayedUpTo(call, upstream);
		assertThat(upstream.types()).as("the calling response is still in progress")
			.doesNotContain("conversation.item.create")
			.doesNotContain("response.create");
		upstream.responseDone("resp_1");
		JsonNode output = upstream.next("conversation.item.create", WAIT).path("item");
		assertThat(output.path("type").asString()).isEqualTo("function_call_output");
		assertThat(output.path("call_id").asString()).isEqualTo("call_42");
		upstream.next("response.create", WAIT);
		upstream.responseCreated("resp_2");
		upstream.delta("resp_2", "item_2", Audio.frame(55, 480));
		upstream.audioDone("resp_2", "item_2");
		upstream.responseDone("resp_2");
		call.next("media", WAIT);
		return call.next("mark", WAIT).path("mark").path("name").asString();
	}

	private FakeRealtimeServer.Connection started(FakeTwilioCall call) throws InterruptedException {
		var upstream = openai.nextConnection(WAIT);
		upstream.next("session.update", WAIT);
		call.start(Map.of());
		String probe = Audio.frame(-3);
		call.media(probe);
		upstream.next("input_audio_buffer.append", WAIT);
		return upstream;
	}

	private FakeTwilioCall connect(String callSid) throws InterruptedException {
		return FakeTwilioCall.connect("ws://localhost:" + this.port + "/twilio-media", "MZ" + callSid.substring(2),
				callSid);
	}

	private static String twiml(RecordedRequest request) {
		for (String pair : request.getBody().utf8().split("&")) {
			if (pair.startsWith("Twiml=")) {
				return URLDecoder.decode(pair.substring("Twiml=".length()), StandardCharsets.UTF_8);
			}
		}
		throw new AssertionError("no Twiml in " + request.getBody().utf8());
	}

}

package dev.voicebridge.call;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.voicebridge.testing.Audio;
import dev.voicebridge.testing.FakeRealtimeServer;
import dev.voicebridge.testing.FakeTwilioCall;
import dev.voicebridge.testing.FakeTwilioRest;

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
@DirtiesContext
class CallToolsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final FakeRealtimeServer openai = new FakeRealtimeServer();

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
		openai.close();
		twilio.close();
	}

	@BeforeEach
	void reset() throws InterruptedException {
		openai.reset();
		twilio.drain();
	}

	@AfterEach
	void schemaHeld() {
		assertThat(openai.schemaViolations()).isEmpty();
	}

	@Test
	void theSessionOffersEndAndTransferTools() throws Exception {
		try (FakeTwilioCall call = connect("CAtools0")) {
			var upstream = openai.nextConnection(WAIT);
			JsonNode session = upstream.next("session.update", WAIT).path("session");
			List<String> names = new ArrayList<>();
			session.path("tools").forEach((tool) -> names.add(tool.path("name").asText()));
			assertThat(names).containsExactly("end_call", "transfer_call");
			assertThat(session.path("tool_choice").asText()).isEqualTo("auto");
		}
	}

	@Test
	void endCallHangsUpThroughTwilioOnceTheGoodbyeHasBeenHeard() throws Exception {
		double completed = this.meters.counter("voicebridge.calls", "agent", "openai", "outcome", "completed").count();
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
			.until(() -> this.meters.counter("voicebridge.calls", "agent", "openai", "outcome", "completed")
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

	/**
	 * The model calls a tool, gets its output and is asked to respond; its spoken reply goes to the
	 * caller. Returns the name of the mark after that reply.
	 */
	private String agentSaysGoodbyeAfter(FakeRealtimeServer.Connection upstream, FakeTwilioCall call, String tool)
			throws InterruptedException {
		upstream.functionCall("resp_1", "call_42", tool);
		JsonNode output = upstream.next("conversation.item.create", WAIT).path("item");
		assertThat(output.path("type").asText()).isEqualTo("function_call_output");
		assertThat(output.path("call_id").asText()).isEqualTo("call_42");
		upstream.next("response.create", WAIT);
		upstream.responseCreated("resp_2");
		upstream.delta("resp_2", "item_2", Audio.frame(55, 480));
		upstream.audioDone("resp_2", "item_2");
		upstream.responseDone("resp_2");
		call.next("media", WAIT);
		return call.next("mark", WAIT).path("mark").path("name").asText();
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

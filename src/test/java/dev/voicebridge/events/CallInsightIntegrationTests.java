package dev.voicebridge.events;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.voicebridge.testing.Audio;
import dev.voicebridge.testing.FakeChatServer;
import dev.voicebridge.testing.FakeRealtimeServer;
import dev.voicebridge.testing.FakeTwilioCall;
import dev.voicebridge.testing.SharedRealtimeUpstream;
import dev.voicebridge.testing.TwilioForms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * What the caller pressed, what was said and what the call cost: keypad digits reach the agent
 * as one entry, {@code response.done}'s usage lands in the metrics and the call's record, a
 * barged-in agent turn keeps only what was heard, the record reaches a receiver signed (and again
 * after failures), and {@code MAX_CALL_DURATION} ends a call with a goodbye.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "voicebridge.openai.api-key=sk-test", "voicebridge.twilio.validate-signatures=false", "voicebridge.openai.model=gpt-realtime-test",
				"voicebridge.calls.inter-digit-timeout=300ms", "voicebridge.calls.events-secret=whsec-test-secret",
				"voicebridge.calls.events-retry-delay=50ms", "voicebridge.calls.currency=EUR",
				"voicebridge.calls.prices.gpt-realtime-test.input-audio=32",
				"voicebridge.calls.prices.gpt-realtime-test.cached-audio=0.4",
				"voicebridge.calls.prices.gpt-realtime-test.output-audio=64",
				"voicebridge.calls.prices.gpt-realtime-test.input-text=4",
				"voicebridge.calls.prices.gpt-realtime-test.output-text=16", "voicebridge.openai.text-model=gpt-text-test",
				"voicebridge.calls.prices.gpt-text-test.input-text=1", "voicebridge.calls.prices.gpt-text-test.cached-text=0.5",
				"voicebridge.calls.prices.gpt-text-test.output-text=2", "voicebridge.traditional.max-silences=1" })
@ExtendWith(SharedRealtimeUpstream.class)
class CallInsightIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final FakeRealtimeServer openai = SharedRealtimeUpstream.server();

	private static final FakeReceiver receiver = new FakeReceiver();

	private static final FakeChatServer chat = new FakeChatServer();

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meters;

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) {
		registry.add("voicebridge.openai.realtime-url", openai::url);
		registry.add("voicebridge.calls.events-url", receiver::url);
		registry.add("voicebridge.openai.api-base-url", chat::baseUrl);
	}

	@AfterAll
	static void stop() {
		receiver.close();
		chat.close();
	}

	@Test
	void digitsTypedDuringACallReachTheAgentAsOneEntryAndAResponseFollows() throws Exception {
		double counted = this.meters.counter("voicebridge.dtmf").count();
		try (FakeTwilioCall call = connect("CA" + "1".repeat(32))) {
			var upstream = started(call);
			for (String digit : List.of("1", "2", "3", "#")) {
				dtmf(call, digit);
			}
			JsonNode item = upstream.next("conversation.item.create", WAIT).path("item");
			assertThat(item.path("role").asString()).isEqualTo("user");
			assertThat(item.path("content").path(0).path("text").asString())
				.isEqualTo("The caller pressed 1 2 3 on the phone's keypad.");
			upstream.next("response.create", WAIT);
			// without #, the entry ends when no digit follows within the inter-digit timeout
			dtmf(call, "4");
			dtmf(call, "2");
			assertThat(upstream.next("conversation.item.create", WAIT).path("item").path("content").path(0).path("text")
				.asString()).isEqualTo("The caller pressed 4 2 on the phone's keypad.");
			assertThat(this.meters.counter("voicebridge.dtmf").count()).isEqualTo(counted + 6);
			call.stop();
			JsonNode record = recordOf(call.callSid());
			assertThat(record.path("keypadEntries").asInt()).isEqualTo(2);
			assertThat(record.path("transcript").findValuesAsString("text")).containsOnly("(keypad entry)");
			assertThat(record.toString()).doesNotContain("1 2 3").doesNotContain("\"123\"");
		}
	}

	@Test
	void tokensFromResponseDoneLandInTheMetricsAndTheRecordWithTheirCost() throws Exception {
		double audioIn = tokens("input_audio");
		double audioOut = tokens("output_audio");
		try (FakeTwilioCall call = connect("CA" + "2".repeat(32))) {
			var upstream = started(call);
			upstream.responseCreated("resp_1");
			upstream.send("{\"type\":\"response.done\",\"event_id\":\"e\",\"response\":{\"id\":\"resp_1\",\"object\":"
					+ "\"realtime.response\",\"status\":\"completed\",\"usage\":{\"total_tokens\":1700,\"input_tokens\":1200,"
					+ "\"output_tokens\":500,\"input_token_details\":{\"text_tokens\":200,\"audio_tokens\":1000,"
					+ "\"cached_tokens\":400,\"cached_tokens_details\":{\"text_tokens\":0,\"audio_tokens\":400}},"
					+ "\"output_token_details\":{\"text_tokens\":100,\"audio_tokens\":400}}}}");
			await().atMost(WAIT).until(() -> tokens("output_audio") == audioOut + 400);
			assertThat(tokens("input_audio")).isEqualTo(audioIn + 600);
			assertThat(tokens("cached_audio")).isPositive();
			call.stop();
			JsonNode record = recordOf(call.callSid());
			assertThat(record.path("usage").path("input_text").asLong()).isEqualTo(200);
			assertThat(record.path("usage").path("input_audio").asLong()).isEqualTo(600);
			assertThat(record.path("usage").path("cached_audio").asLong()).isEqualTo(400);
			assertThat(record.path("usage").path("output_text").asLong()).isEqualTo(100);
			assertThat(record.path("usage").path("output_audio").asLong()).isEqualTo(400);
			// 200*4 + 600*32 + 400*0.4 + 100*16 + 400*64 per million
			assertThat(record.path("estimatedCost").path("amount").asDouble()).isCloseTo(0.04736, within(1e-9));
			assertThat(record.path("estimatedCost").path("currency").asString()).isEqualTo("EUR");
		}
	}

	@Test
	void aRecordHoldsOnlyWhatTheCallerHeardOfABargedInAgentTurn() throws Exception {
		try (FakeTwilioCall call = connect("CA" + "3".repeat(32))) {
			call.playMarks(false);
			var upstream = started(call);
			upstream.callerTranscript("What are your opening hours?");
			upstream.responseCreated("resp_1");
			List<String> marks = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				upstream.delta("resp_1", "item_1", Audio.frame(40 + i, 800));
				call.next("media", WAIT);
				marks.add(call.next("mark", WAIT).path("mark").path("name").asString());
			}
			upstream.agentTranscript("item_1", "We open at nine and close at six every day except Sunday.");
			for (String mark : marks.subList(0, 5)) {
				call.markPlayed(mark);
			}
			// once the fifth mark is back the caller has heard half: the relay truncates there
			String probe = Audio.frame(-9);
			call.media(probe);
			while (!probe.equals(upstream.next("input_audio_buffer.append", WAIT).path("audio").asString())) {
				// earlier frames
			}
			upstream.speechStarted();
			assertThat(upstream.next("conversation.item.truncate", WAIT).path("audio_end_ms").asLong()).isEqualTo(500);
			call.stop();
			JsonNode transcript = recordOf(call.callSid()).path("transcript");
			assertThat(transcript.path(0).path("speaker").asString()).isEqualTo("caller");
			assertThat(transcript.path(0).path("text").asString()).isEqualTo("What are your opening hours?");
			assertThat(transcript.path(1).path("speaker").asString()).isEqualTo("agent");
			assertThat(transcript.path(1).path("cutOff").asBoolean()).isTrue();
			assertThat(transcript.path(1).path("text").asString()).isEqualTo("We open at nine and close");
		}
	}

	@Test
	void aSignedRecordReachesTheReceiverAndMatchesTheDocumentedSchema() throws Exception {
		try (FakeTwilioCall call = connect("CA" + "4".repeat(32))) {
			started(call);
			call.stop();
			RecordedRequest request = nextRecordRequest(call.callSid());
			String body = request.getBody().utf8();
			String signature = request.getHeaders().get("X-VoiceBridge-Signature");
			assertThat(signature).matches("t=\\d+,v1=[0-9a-f]{64}");
			long timestamp = Long.parseLong(signature.substring(2, signature.indexOf(',')));
			assertThat(Math.abs(Instant.now().getEpochSecond() - timestamp)).isLessThan(60);
			assertThat(signature.substring(signature.indexOf("v1=") + 3)).isEqualTo(CallEvents
				.sign("whsec-test-secret".getBytes(StandardCharsets.UTF_8), timestamp, body.getBytes(StandardCharsets.UTF_8)));
			assertThat(request.getHeaders().get("X-VoiceBridge-Event")).isEqualTo("call.ended");
			JsonNode record = JSON.readTree(body);
			assertThat(CallRecordSchema.violations(record.toString())).isEmpty();
			assertThat(record.path("mode").asString()).isEqualTo("stream");
			assertThat(record.path("outcome").asString()).isEqualTo("caller_hung_up");
			assertThat(record.path("profile").asString()).isEqualTo("default");
			assertThat(record.path("framesIn").asLong()).isEqualTo(1);
		}
	}

	@Test
	void aReceiverThatFailsTwiceGetsTheRecordOnTheThirdTry() throws Exception {
		double retried = this.meters.counter("voicebridge.call.events", "outcome", "retried").count();
		receiver.failNext(2);
		try (FakeTwilioCall call = connect("CA" + "5".repeat(32))) {
			started(call);
			call.stop();
			List<String> attempts = new ArrayList<>();
			JsonNode record = null;
			while (record == null) {
				RecordedRequest request = receiver.next();
				JsonNode body = JSON.readTree(request.getBody().utf8());
				if (call.callSid().equals(body.path("callSid").asString())) {
					attempts.add(request.getHeaders().get("X-VoiceBridge-Signature"));
					if (attempts.size() == 3) {
						record = body;
					}
				}
			}
			assertThat(attempts).hasSize(3).allMatch((signature) -> signature.matches("t=\\d+,v1=[0-9a-f]{64}"));
			assertThat(record.path("outcome").asString()).isEqualTo("caller_hung_up");
			assertThat(this.meters.counter("voicebridge.call.events", "outcome", "retried").count()).isEqualTo(retried + 2);
		}
	}

	@Test
	void inTraditionalModeKeypadDigitsAreAnsweredLikeSpeechAndTheRecordCountsTheTokens() throws Exception {
		double text = this.meters.counter("voicebridge.agent.tokens", "mode", "traditional", "kind", "input_text").count();
		String callSid = "CA" + "8".repeat(32);
		String first = TwilioForms.post(url("/twilio/voice?mode=traditional"), Map.of("CallSid", callSid)).body();
		assertThat(first).contains("input=\"speech dtmf\"");
		chat.reply("Your order 42 is on its way.", 120, 20, 30);
		String turn = TwilioForms.post(url("/twilio/gather"), Map.of("CallSid", callSid, "Digits", "42")).body();
		assertThat(turn).contains("Your order 42 is on its way.");
		var messages = chat.take().body().path("messages");
		assertThat(messages.path(messages.size() - 1).path("content").asString())
			.isEqualTo("The caller pressed 4 2 on the phone's keypad.");
		assertThat(this.meters.counter("voicebridge.agent.tokens", "mode", "traditional", "kind", "input_text").count())
			.isEqualTo(text + 100);
		// silence ends the call (max-silences=1): the agent says goodbye and the call's record goes out
		assertThat(TwilioForms.post(url("/twilio/gather"), Map.of("CallSid", callSid)).body()).contains("<Hangup/>");
		JsonNode record = recordOf(callSid);
		assertThat(CallRecordSchema.violations(record.toString())).isEmpty();
		assertThat(record.path("mode").asString()).isEqualTo("traditional");
		assertThat(record.path("outcome").asString()).isEqualTo("completed");
		assertThat(record.path("keypadEntries").asInt()).isEqualTo(1);
		assertThat(record.path("transcript").path(0).path("speaker").asString()).isEqualTo("keypad");
		assertThat(record.path("transcript").path(0).path("text").asString()).isEqualTo("(keypad entry)");
		assertThat(record.path("transcript").path(1).path("text").asString()).isEqualTo("Your order 42 is on its way.");
		assertThat(record.path("usage").path("input_text").asLong()).isEqualTo(100);
		assertThat(record.path("usage").path("cached_text").asLong()).isEqualTo(20);
		assertThat(record.path("usage").path("output_text").asLong()).isEqualTo(30);
		// 100*1 + 20*0.5 + 30*2 per million
		assertThat(record.path("estimatedCost").path("amount").asDouble()).isCloseTo(0.00017, within(1e-12));
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	private double tokens(String kind) {
		return this.meters.counter("voicebridge.agent.tokens", "mode", "stream", "kind", kind).count();
	}

	private static void dtmf(FakeTwilioCall call, String digit) {
		call.send("{\"event\":\"dtmf\",\"streamSid\":\"" + call.streamSid() + "\",\"sequenceNumber\":\"9\","
				+ "\"dtmf\":{\"track\":\"inbound_track\",\"digit\":\"" + digit + "\"}}");
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

	private static JsonNode recordOf(String callSid) throws Exception {
		return JSON.readTree(nextRecordRequest(callSid).getBody().utf8());
	}

	/** The next record of that call the receiver got; records of earlier tests' calls are skipped. */
	private static RecordedRequest nextRecordRequest(String callSid) throws Exception {
		while (true) {
			RecordedRequest request = receiver.next();
			if (callSid.equals(JSON.readTree(request.getBody().utf8()).path("callSid").asString())) {
				return request;
			}
		}
	}

}

package dev.voicebridge.call;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import tools.jackson.databind.JsonNode;
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
 * A call through the whole relay: a fake Twilio stream on one side, a fake OpenAI Realtime
 * server on the other, the real application between them on a random port.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(SharedRealtimeUpstream.class)
class RealtimeRelayIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final FakeRealtimeServer openai = SharedRealtimeUpstream.server();

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private CallRegistry calls;

	private int callNumber;

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		registry.add("voicebridge.openai.api-key", () -> "sk-test-secret");
		// no TWILIO_AUTH_TOKEN in these tests: accept unsigned streams on the operator's word
		registry.add("voicebridge.twilio.validate-signatures", () -> "false");
		registry.add("voicebridge.openai.realtime-url", openai::url);
		registry.add("voicebridge.openai.connect-timeout", () -> "3s");
		registry.add("voicebridge.fallback.message", () -> "The assistant is away.");
	}

	@Test
	void configuresTheSessionInTheGaShapeWithTheKeyAndModel() throws Exception {
		try (FakeTwilioCall call = connect()) {
			var upstream = openai.nextConnection(WAIT);
			JsonNode update = upstream.next("session.update", WAIT);
			JsonNode session = update.path("session");
			assertThat(session.path("type").asString()).isEqualTo("realtime");
			assertThat(session.path("audio").path("input").path("format").path("type").asString()).isEqualTo("audio/pcmu");
			assertThat(session.path("audio").path("output").path("format").path("type").asString()).isEqualTo("audio/pcmu");
			assertThat(session.path("audio").path("output").path("voice").asString()).isEqualTo("marin");
			assertThat(session.path("audio").path("input").path("turn_detection").path("type").asString())
				.isEqualTo("server_vad");
			assertThat(session.path("instructions").asString()).isNotBlank();
			var handshake = openai.handshakes().get(0);
			assertThat(handshake.getHeaders().get("Authorization")).isEqualTo("Bearer sk-test-secret");
			assertThat(handshake.getHeaders().get("OpenAI-Beta")).isNull();
			assertThat(handshake.getUrl().queryParameter("model")).isEqualTo("gpt-realtime");
		}
	}

	@Test
	void opensTheUpstreamWhenTheStreamOpensBeforeStart() throws Exception {
		try (FakeTwilioCall call = connect()) {
			var upstream = openai.nextConnection(WAIT);
			assertThat(upstream.next("session.update", WAIT)).isNotNull();
		}
	}

	@Test
	void relaysCallerAudioUnchangedAndInOrder() throws Exception {
		try (FakeTwilioCall call = connect()) {
			var upstream = openai.nextConnection(WAIT);
			upstream.next("session.update", WAIT);
			call.start(Map.of("businessId", "b1"));
			List<String> sent = frames(1000, 50);
			sent.forEach(call::media);
			assertThat(appends(upstream, sent.size())).containsExactlyElementsOf(sent);
		}
	}

	@Test
	void holdsCallerAudioUntilTheSessionIsConfiguredThenFlushesItInOrder() throws Exception {
		openai.autoConfigure(false);
		try (FakeTwilioCall call = connect()) {
			var upstream = openai.nextConnection(WAIT);
			upstream.next("session.update", WAIT);
			double before = inboundFrames();
			call.start(Map.of());
			List<String> early = frames(2000, 100);
			early.forEach(call::media);
			await().atMost(WAIT).until(() -> inboundFrames() - before >= early.size());
			assertThat(upstream.types()).doesNotContain("input_audio_buffer.append");

			upstream.configure();
			List<String> late = frames(3000, 10);
			late.forEach(call::media);
			List<String> all = new ArrayList<>(early);
			all.addAll(late);
			assertThat(appends(upstream, all.size())).containsExactlyElementsOf(all);
		}
	}

	@Test
	void relaysEachAgentDeltaWholeAndUnchangedWithAMarkOnceAtLeast100MsIsUnmarked() throws Exception {
		try (FakeTwilioCall call = connect()) {
			var upstream = openai.nextConnection(WAIT);
			upstream.next("session.update", WAIT);
			started(call, upstream);
			// 20 ms, 300 ms, about 6 ms, 125 ms, 1 ms
			List<String> deltas = List.of(Audio.frame(1, 160), Audio.frame(2, 2400), Audio.frame(3, 50),
					Audio.frame(4, 1000), Audio.frame(5, 7));
			upstream.responseCreated("resp_1");
			deltas.forEach((delta) -> upstream.delta("resp_1", "item_1", delta));
			upstream.audioDone("resp_1", "item_1");

			List<String> sent = new ArrayList<>();
			long lastMark = 0;
			while (sent.size() < 8) {
				JsonNode message = call.next(WAIT);
				assertThat(message.path("streamSid").asString()).isEqualTo(call.streamSid());
				switch (message.path("event").asString()) {
					case "media" -> sent.add(message.path("media").path("payload").asString());
					case "mark" -> {
						long number = Long.parseLong(message.path("mark").path("name").asString());
						assertThat(number).isGreaterThan(lastMark);
						lastMark = number;
						sent.add("mark");
					}
					default -> throw new AssertionError("unexpected " + message);
				}
			}
			// 160 + 2400 bytes reach 100 ms, so do 50 + 1000; the end of the audio marks the rest
			assertThat(sent).containsExactly(deltas.get(0), deltas.get(1), "mark", deltas.get(2), deltas.get(3),
					"mark", deltas.get(4), "mark");
		}
	}

	@Test
	void agentAudioThatIsNotBase64IsDroppedAndCountedNotSplicedIntoTwilioJson() throws Exception {
		double invalid = this.meters.counter("voicebridge.upstream.audio.invalid").count();
		try (FakeTwilioCall call = connect()) {
			var upstream = openai.nextConnection(WAIT);
			upstream.next("session.update", WAIT);
			started(call, upstream);
			// a delta that would close the payload's string and add a field of its own
			upstream.send("{\"type\":\"response.output_audio.delta\",\"event_id\":\"e\",\"response_id\":\"r\","
					+ "\"item_id\":\"i\",\"output_index\":0,\"content_index\":0,\"delta\":\"AAAA\\\",\\\"event\\\":\\\"clear\"}");
			String good = Audio.frame(8, 160);
			upstream.delta("r", "i", good);
			assertThat(call.next("media", WAIT).path("media").path("payload").asString()).isEqualTo(good);
			assertThat(call.all()).noneMatch((message) -> "clear".equals(message.path("event").asString()));
		}
		assertThat(this.meters.counter("voicebridge.upstream.audio.invalid").count()).isEqualTo(invalid + 1);
	}

	@Test
	void bargeInClearsTwilioTruncatesWhatWasHeardCancelsAndDropsLateAudio() throws Exception {
		double bargeIns = this.meters.counter("voicebridge.bargeins").count();
		try (FakeTwilioCall call = connect()) {
			call.playMarks(false);
			var upstream = openai.nextConnection(WAIT);
			upstream.next("session.update", WAIT);
			started(call, upstream);
			upstream.responseCreated("resp_1");
			// two deltas of 100 ms: a mark after each
			upstream.delta("resp_1", "item_1", Audio.frame(10, 800));
			upstream.delta("resp_1", "item_1", Audio.frame(14, 800));
			int bytesBeforeFirstMark = 0;
			JsonNode message = call.next(WAIT);
			while (!"mark".equals(message.path("event").asString())) {
				bytesBeforeFirstMark += Audio.decode(message.path("media").path("payload").asString()).length;
				message = call.next(WAIT);
			}
			String firstMark = message.path("mark").path("name").asString();
			call.next("mark", WAIT);
			// the caller has heard up to the first mark; a frame behind the mark proves it was read
			call.markPlayed(firstMark);
			String probe = Audio.frame(11);
			call.media(probe);
			assertThat(upstream.next("input_audio_buffer.append", WAIT).path("audio").asString()).isEqualTo(probe);

			upstream.speechStarted();
			assertThat(call.next("clear", WAIT)).isNotNull();
			JsonNode truncate = upstream.next("conversation.item.truncate", WAIT);
			assertThat(truncate.path("item_id").asString()).isEqualTo("item_1");
			assertThat(truncate.path("content_index").asInt()).isZero();
			assertThat(bytesBeforeFirstMark).isEqualTo(800);
			assertThat(truncate.path("audio_end_ms").asInt()).isEqualTo(bytesBeforeFirstMark / 8);
			assertThat(upstream.next("response.cancel", WAIT).path("response_id").asString()).isEqualTo("resp_1");

			upstream.delta("resp_1", "item_1", Audio.frame(12, 160));
			upstream.responseCreated("resp_2");
			String answer = Audio.frame(13, 160);
			upstream.delta("resp_2", "item_2", answer);
			assertThat(call.next("media", WAIT).path("media").path("payload").asString()).isEqualTo(answer);
		}
		assertThat(this.meters.counter("voicebridge.bargeins").count()).isEqualTo(bargeIns + 1);
	}

	@Test
	void bargeInAfterTheResponseIsDoneTruncatesButDoesNotCancel() throws Exception {
		try (FakeTwilioCall call = connect()) {
			call.playMarks(false);
			var upstream = openai.nextConnection(WAIT);
			upstream.next("session.update", WAIT);
			started(call, upstream);
			upstream.responseCreated("resp_1");
			upstream.delta("resp_1", "item_1", Audio.frame(20, 800));
			upstream.audioDone("resp_1", "item_1");
			upstream.responseDone("resp_1");
			call.next("mark", WAIT);

			upstream.speechStarted();
			assertThat(call.next("clear", WAIT)).isNotNull();
			assertThat(upstream.next("conversation.item.truncate", WAIT).path("audio_end_ms").asInt()).isZero();
			String probe = Audio.frame(21);
			call.media(probe);
			upstream.next("input_audio_buffer.append", WAIT);
			assertThat(upstream.types()).doesNotContain("response.cancel");
		}
	}

	@Test
	void speechWhileNothingPlaysIsNotABargeIn() throws Exception {
		try (FakeTwilioCall call = connect()) {
			var upstream = openai.nextConnection(WAIT);
			upstream.next("session.update", WAIT);
			started(call, upstream);
			upstream.responseCreated("resp_1");
			upstream.delta("resp_1", "item_1", Audio.frame(30, 160));
			upstream.audioDone("resp_1", "item_1");
			upstream.responseDone("resp_1");
			call.next("media", WAIT);
			call.next("mark", WAIT);
			// the fake Twilio echoes the mark at once: everything has been heard
			String probe = Audio.frame(31);
			call.media(probe);
			upstream.next("input_audio_buffer.append", WAIT);

			upstream.speechStarted();
			String after = Audio.frame(32);
			call.media(after);
			upstream.next("input_audio_buffer.append", WAIT);
			assertThat(upstream.types()).doesNotContain("conversation.item.truncate", "response.cancel");
			assertThat(call.all()).noneMatch((message) -> "clear".equals(message.path("event").asString()));
		}
	}

	@Test
	void recoverableUpstreamErrorsLeaveTheCallGoing() throws Exception {
		try (FakeTwilioCall call = connect()) {
			var upstream = openai.nextConnection(WAIT);
			upstream.next("session.update", WAIT);
			started(call, upstream);
			upstream.error("invalid_value", "something minor");
			String audio = Audio.frame(40, 160);
			upstream.delta("resp_1", "item_1", audio);
			assertThat(call.next("media", WAIT).path("media").path("payload").asString()).isEqualTo(audio);
		}
	}

	@Test
	void stopFromTwilioClosesTheUpstreamAndTheStreamOnce() throws Exception {
		double hungUp = calls("openai", "caller_hung_up");
		FakeTwilioCall call = connect();
		var upstream = openai.nextConnection(WAIT);
		upstream.next("session.update", WAIT);
		call.start(Map.of());
		call.stop();
		assertThat(upstream.awaitClosed(WAIT)).isEqualTo(1000);
		assertThat(call.awaitClosed(WAIT)).isEqualTo(1000);
		await().atMost(WAIT).until(() -> calls("openai", "caller_hung_up") == hungUp + 1);
		assertThat(this.calls.activeCount()).isZero();
	}

	@Test
	void twilioDroppingTheSocketClosesTheUpstream() throws Exception {
		FakeTwilioCall call = connect();
		var upstream = openai.nextConnection(WAIT);
		upstream.next("session.update", WAIT);
		call.start(Map.of());
		call.drop();
		assertThat(upstream.awaitClosed(WAIT)).isEqualTo(1000);
		await().atMost(WAIT).until(() -> this.calls.activeCount() == 0);
	}

	@Test
	void upstreamClosingAfterTheCallerHeardTheAgentEndsTheStreamAndTheCallerGetsTheFallback() throws Exception {
		double failed = calls("openai", "agent_failed");
		try (FakeTwilioCall call = connect()) {
			var upstream = openai.nextConnection(WAIT);
			upstream.next("session.update", WAIT);
			started(call, upstream);
			upstream.delta("resp_1", "item_1", Audio.frame(3, 160));
			call.next("media", WAIT);
			upstream.closeWith(1001);
			assertThat(call.awaitClosed(WAIT)).isEqualTo(1011);
			assertThat(connectAction(call.callSid())).contains("<Say>The assistant is away.</Say>").contains("<Hangup/>");
		}
		assertThat(calls("openai", "agent_failed")).isEqualTo(failed + 1);
	}

	@Test
	void upstreamClosingBeforeTheCallerHeardTheAgentContinuesTheCallInTraditionalMode() throws Exception {
		try (FakeTwilioCall call = connect()) {
			var upstream = openai.nextConnection(WAIT);
			upstream.next("session.update", WAIT);
			call.start(Map.of());
			upstream.closeWith(1001);
			assertThat(call.awaitClosed(WAIT)).isEqualTo(1011);
			assertThat(connectAction(call.callSid())).contains("<Gather").doesNotContain("<Hangup/>");
		}
	}

	@Test
	void refusedUpstreamConnectEndsTheStreamAndTheCallContinuesInTraditionalMode() throws Exception {
		double rejected = this.meters.counter("voicebridge.upstream.connects", "outcome", "rejected").count();
		openai.refuseWith(401);
		try (FakeTwilioCall call = connect()) {
			call.start(Map.of());
			assertThat(call.awaitClosed(WAIT)).isEqualTo(1011);
			assertThat(connectAction(call.callSid())).contains("<Gather").doesNotContain("<Hangup/>");
		}
		assertThat(this.meters.counter("voicebridge.upstream.connects", "outcome", "rejected").count())
			.isEqualTo(rejected + 1);
	}

	@Test
	void aStreamThatEndedNormallyHangsUp() throws Exception {
		FakeTwilioCall call = connect();
		var upstream = openai.nextConnection(WAIT);
		upstream.next("session.update", WAIT);
		call.start(Map.of());
		call.stop();
		call.awaitClosed(WAIT);
		await().atMost(WAIT).until(() -> this.calls.outcomeOf(call.callSid()).isPresent());
		assertThat(connectAction(call.callSid())).contains("<Hangup/>").doesNotContain("<Say>");
	}

	@Test
	void twentyConcurrentCallsStayIndependent() throws Exception {
		openai.echo(true);
		int callCount = 20;
		int framesPerCall = 25;
		List<FakeTwilioCall> twilio = new ArrayList<>();
		List<List<String>> sent = new ArrayList<>();
		for (int i = 0; i < callCount; i++) {
			FakeTwilioCall call = connect();
			twilio.add(call);
			openai.nextConnection(WAIT);
			call.start(Map.of("caller", Integer.toString(i)));
			sent.add(frames(10_000L * (i + 1), framesPerCall));
		}
		for (int frame = 0; frame < framesPerCall; frame++) {
			for (int i = 0; i < callCount; i++) {
				twilio.get(i).media(sent.get(i).get(frame));
			}
		}
		for (int i = 0; i < callCount; i++) {
			List<String> echoed = twilio.get(i).mediaUntil(framesPerCall * 160, WAIT);
			assertThat(echoed).as("call %d", i).containsExactlyElementsOf(sent.get(i));
		}
		assertThat(this.calls.activeCount()).isEqualTo(callCount);
		twilio.forEach(FakeTwilioCall::stop);
		await().atMost(WAIT).until(() -> this.calls.activeCount() == 0);
	}

	/**
	 * Sends {@code start} and waits until the relay has processed it: a frame sent behind it
	 * reaches the upstream. Agent audio is only played to a stream that has started.
	 */
	private static void started(FakeTwilioCall call, FakeRealtimeServer.Connection upstream)
			throws InterruptedException {
		call.start(Map.of());
		String probe = Audio.frame(-1);
		call.media(probe);
		assertThat(upstream.next("input_audio_buffer.append", WAIT).path("audio").asString()).isEqualTo(probe);
	}

	private FakeTwilioCall connect() throws InterruptedException {
		this.callNumber++;
		String suffix = String.format("%032d", System.nanoTime() % 1_000_000_000L * 100 + this.callNumber);
		return FakeTwilioCall.connect("ws://localhost:" + this.port + "/twilio-media", "MZ" + suffix, "CA" + suffix);
	}

	private String connectAction(String callSid) {
		return TwilioForms.connectAction(this.port, callSid);
	}

	private static List<String> frames(long seed, int count) {
		return IntStream.range(0, count).mapToObj((i) -> Audio.frame(seed + i)).toList();
	}

	private static List<String> appends(FakeRealtimeServer.Connection upstream, int count) throws InterruptedException {
		List<String> appended = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			appended.add(upstream.next("input_audio_buffer.append", WAIT).path("audio").asString());
		}
		return appended;
	}


	private double inboundFrames() {
		return this.meters.counter("voicebridge.media.frames", "direction", "inbound").count();
	}

	private double calls(String agent, String outcome) {
		return this.meters.counter("voicebridge.calls", "agent", agent, "profile", "default", "outcome", outcome).count();
	}

}

package dev.voicebridge.media;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import dev.voicebridge.call.CallRegistry;
import dev.voicebridge.testing.Audio;
import dev.voicebridge.testing.FakeTwilioCall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Streams that misbehave are contained: a flood from a peer that stops reading is closed, a
 * frame for another stream is ignored, unknown events are counted, and a good call running at
 * the same time never notices.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "voicebridge.media.send-time-limit=1s")
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class AbusiveStreamIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@LocalServerPort
	private int port;

	@Autowired
	private CallRegistry calls;

	@Autowired
	private MeterRegistry meters;

	@Test
	void aFloodingStreamThatStopsReadingIsClosedWhileAGoodCallGoesOn() throws Exception {
		FakeTwilioCall good = FakeTwilioCall.connect(url(), "MZgood", "CAgood");
		good.start(Map.of());

		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch opened = new CountDownLatch(1);
		WebSocket abuser = new OkHttpClient().newWebSocket(new Request.Builder().url(url()).build(),
				new WebSocketListener() {
					@Override
					public void onOpen(WebSocket webSocket, Response response) {
						opened.countDown();
					}

					@Override
					public void onMessage(WebSocket webSocket, String text) {
						try {
							// stop reading: the echo agent's replies pile up on the relay's side
							release.await();
						}
						catch (InterruptedException ex) {
							Thread.currentThread().interrupt();
						}
					}
				});
		assertThat(opened.await(10, TimeUnit.SECONDS)).isTrue();
		abuser.send("{\"event\":\"start\",\"start\":{\"streamSid\":\"MZflood\",\"callSid\":\"CAflood\"},\"streamSid\":\"MZflood\"}");
		String big = Audio.frame(5, 45_000);
		for (int i = 0; i < 400; i++) {
			abuser.send("{\"event\":\"media\",\"streamSid\":\"MZflood\",\"media\":{\"track\":\"inbound\",\"payload\":\"" + big
					+ "\"}}");
		}

		// the flooding stream is ended by the relay; the good call is still served meanwhile
		await().atMost(WAIT).until(() -> this.calls.active().stream().noneMatch((call) -> "CAflood".equals(call.callSid())));
		String frame = Audio.frame(6);
		good.media(frame);
		assertThat(good.next("media", WAIT).path("media").path("payload").asText()).isEqualTo(frame);
		release.countDown();
		abuser.cancel();
		good.stop();
		await().atMost(WAIT).until(() -> this.calls.activeCount() == 0);
	}

	@Test
	void everyKindOfBadInputStaysOnItsOwnStream() throws Exception {
		FakeTwilioCall good = FakeTwilioCall.connect(url(), "MZsteady", "CAsteady");
		good.start(Map.of());
		List<String> badInputs = List.of("{not json", "[1,2,3]", "{\"event\":\"media\",\"media\":{\"payload\":\"%%%\"}}",
				"{\"event\":\"media\",\"streamSid\":\"MZbad\",\"media\":{\"payload\":\"AAAA\"}}",
				"{\"event\":\"no-such-event\"}", "{\"event\":\"start\"}", "{\"event\":\"media\",\"pad\":\""
						+ "x".repeat(70_000) + "\"}");
		int n = 0;
		for (String bad : badInputs) {
			FakeTwilioCall abuser = FakeTwilioCall.connect(url(), "MZbad" + n, "CAbad" + n++);
			abuser.send(bad);
			String frame = Audio.frame(1000 + n);
			good.media(frame);
			assertThat(good.next("media", WAIT).path("media").path("payload").asText()).as(bad.substring(0,
					Math.min(40, bad.length()))).isEqualTo(frame);
			abuser.drop();
		}
		OkHttpClient http = new OkHttpClient();
		try (Response health = http.newCall(new Request.Builder().url("http://localhost:" + this.port + "/actuator/health")
			.build()).execute()) {
			assertThat(health.code()).isEqualTo(200);
		}
		good.stop();
		assertThat(good.awaitClosed(WAIT)).isEqualTo(1000);
	}

	@Test
	void aStreamInAnotherAudioFormatIsClosedRatherThanGarbled(CapturedOutput output) throws Exception {
		double rejected = this.meters.counter("voicebridge.calls", "agent", "echo", "profile", "default", "outcome", "rejected").count();
		try (FakeTwilioCall call = FakeTwilioCall.connect(url(), "MZpcm", "CApcm")) {
			call.send("{\"event\":\"start\",\"sequenceNumber\":\"1\",\"start\":{\"streamSid\":\"MZpcm\","
					+ "\"callSid\":\"CApcm\",\"tracks\":[\"inbound\"],\"mediaFormat\":{\"encoding\":\"audio/l16\","
					+ "\"sampleRate\":16000,\"channels\":1},\"customParameters\":{}},\"streamSid\":\"MZpcm\"}");
			assertThat(call.awaitClosed(WAIT)).isEqualTo(1003);
		}
		await().atMost(WAIT)
			.until(() -> this.meters.counter("voicebridge.calls", "agent", "echo", "profile", "default", "outcome", "rejected").count() == rejected + 1);
		assertThat(output.getOut()).contains("stream MZpcm carries audio/l16/16000Hz/1ch, not audio/x-mulaw 8000 Hz mono");
	}

	@Test
	void invalidMessagesAreCountedEachButWarnedOncePerStream(CapturedOutput output) throws Exception {
		double invalid = this.meters.counter("voicebridge.media.ignored", "reason", "invalid").count();
		try (FakeTwilioCall call = FakeTwilioCall.connect(url(), "MZjunk", "CAjunk")) {
			call.start(Map.of());
			for (int i = 0; i < 20; i++) {
				call.send("{not json " + i);
			}
			String frame = Audio.frame(3);
			call.media(frame);
			assertThat(call.next("media", WAIT).path("media").path("payload").asText()).isEqualTo(frame);
		}
		assertThat(this.meters.counter("voicebridge.media.ignored", "reason", "invalid").count()).isEqualTo(invalid + 20);
		assertThat(output.getOut().split("ignored invalid message on callSid=CAjunk", -1)).hasSize(2);
	}

	@Test
	void framesForAnotherStreamAreIgnoredAndCounted() throws Exception {
		double before = this.meters.counter("voicebridge.media.ignored", "reason", "wrong_stream").count();
		try (FakeTwilioCall call = FakeTwilioCall.connect(url(), "MZmine", "CAmine")) {
			call.start(Map.of());
			call.send("{\"event\":\"media\",\"streamSid\":\"MZsomeoneelse\",\"media\":{\"track\":\"inbound\",\"payload\":\""
					+ Audio.frame(7) + "\"}}");
			String mine = Audio.frame(8);
			call.media(mine);
			assertThat(call.next("media", WAIT).path("media").path("payload").asText()).isEqualTo(mine);
		}
		assertThat(this.meters.counter("voicebridge.media.ignored", "reason", "wrong_stream").count()).isEqualTo(before + 1);
	}

	@Test
	void unknownEventsAreIgnoredAndCounted() throws Exception {
		double before = this.meters.counter("voicebridge.media.ignored", "reason", "unknown_event").count();
		try (FakeTwilioCall call = FakeTwilioCall.connect(url(), "MZodd", "CAodd")) {
			call.start(Map.of());
			call.send("{\"event\":\"transcription\",\"streamSid\":\"MZodd\"}");
			String frame = Audio.frame(9);
			call.media(frame);
			assertThat(call.next("media", WAIT).path("media").path("payload").asText()).isEqualTo(frame);
		}
		assertThat(this.meters.counter("voicebridge.media.ignored", "reason", "unknown_event").count())
			.isEqualTo(before + 1);
	}

	private String url() {
		return "ws://localhost:" + this.port + "/twilio-media";
	}

}

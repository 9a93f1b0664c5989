package dev.voicebridge.call;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import tools.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.voicebridge.testing.Audio;
import dev.voicebridge.testing.FakeTwilioCall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded default: with no OpenAI key the echo agent plays the caller's audio back, which
 * proves the webhook, the upgrade and both media directions.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureMetrics
class EchoCallIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private CallRegistry calls;

	@Test
	void echoAgentPlaysTheCallersAudioBackUnchangedWithMarks() throws Exception {
		double hungUp = this.meters.counter("voicebridge.calls", "agent", "echo", "profile", "default", "outcome", "caller_hung_up").count();
		FakeTwilioCall call = connect("echo1");
		call.start(Map.of());
		List<String> sent = IntStream.range(0, 50).mapToObj((i) -> Audio.frame(500 + i)).toList();
		sent.forEach(call::media);
		List<String> heard = new ArrayList<>();
		int marks = 0;
		while (heard.size() < sent.size()) {
			JsonNode message = call.next(WAIT);
			if ("media".equals(message.path("event").asString())) {
				heard.add(message.path("media").path("payload").asString());
			}
			else if ("mark".equals(message.path("event").asString())) {
				marks++;
			}
		}
		assertThat(heard).containsExactlyElementsOf(sent);
		// 160-byte frames: a mark after every fifth, i.e. every 100 ms of audio
		assertThat(marks).isGreaterThanOrEqualTo(9);
		call.stop();
		assertThat(call.awaitClosed(WAIT)).isEqualTo(1000);
		// this call's own outcome: another test's call may end at the same moment
		await().atMost(WAIT).until(() -> this.calls.outcomeOf(call.callSid()).isPresent());
		assertThat(this.calls.outcomeOf(call.callSid())).contains(CallOutcome.CALLER_HUNG_UP);
		assertThat(this.meters.counter("voicebridge.calls", "agent", "echo", "profile", "default", "outcome", "caller_hung_up").count())
			.isGreaterThanOrEqualTo(hungUp + 1);
	}

	@Test
	void mediaBeforeStartIsIgnoredAndCounted() throws Exception {
		double before = this.meters.counter("voicebridge.media.ignored", "reason", "before_start").count();
		try (FakeTwilioCall call = connect("early")) {
			call.media(Audio.frame(1));
			call.start(Map.of());
			String frame = Audio.frame(2);
			call.media(frame);
			assertThat(call.next("media", WAIT).path("media").path("payload").asString()).isEqualTo(frame);
		}
		assertThat(this.meters.counter("voicebridge.media.ignored", "reason", "before_start").count())
			.isEqualTo(before + 1);
	}

	@Test
	void malformedMessagesAreIgnoredAndTheCallGoesOn() throws Exception {
		double before = this.meters.counter("voicebridge.media.ignored", "reason", "invalid").count();
		try (FakeTwilioCall call = connect("malformed")) {
			call.start(Map.of());
			call.send("{not json");
			call.send("{\"event\":\"media\",\"media\":{\"payload\":\"not base64!\"}}");
			String frame = Audio.frame(3);
			call.media(frame);
			assertThat(call.next("media", WAIT).path("media").path("payload").asString()).isEqualTo(frame);
		}
		assertThat(this.meters.counter("voicebridge.media.ignored", "reason", "invalid").count())
			.isEqualTo(before + 2);
	}

	@Test
	void binaryFramesCloseTheStreamWith1003() throws Exception {
		var closed = new java.util.concurrent.CompletableFuture<Integer>();
		WebSocket socket = new OkHttpClient().newWebSocket(
				new Request.Builder().url("ws://localhost:" + this.port + "/twilio-media").build(),
				new WebSocketListener() {
					@Override
					public void onOpen(WebSocket webSocket, Response response) {
						webSocket.send(ByteString.of((byte) 1, (byte) 2));
					}

					@Override
					public void onClosing(WebSocket webSocket, int code, String reason) {
						closed.complete(code);
					}

					@Override
					public void onFailure(WebSocket webSocket, Throwable t, Response response) {
						closed.completeExceptionally(t);
					}
				});
		assertThat(closed.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1003);
		socket.cancel();
	}

	@Test
	void framesLargerThanTheLimitCloseTheStreamWith1009() throws Exception {
		try (FakeTwilioCall call = connect("huge")) {
			call.start(Map.of());
			call.send("{\"event\":\"media\",\"pad\":\"" + "x".repeat(70_000) + "\"}");
			assertThat(call.awaitClosed(WAIT)).isEqualTo(1009);
		}
		await().atMost(WAIT).until(() -> this.calls.activeCount() == 0);
	}

	private FakeTwilioCall connect(String name) throws InterruptedException {
		String suffix = String.format("%032x", (long) name.hashCode() & 0xffffffffL);
		return FakeTwilioCall.connect("ws://localhost:" + this.port + "/twilio-media", "MZ" + suffix, "CA" + suffix);
	}

}

package dev.voicebridge.shared;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.voicebridge.testing.Audio;
import dev.voicebridge.testing.FakeTwilioCall;
import dev.voicebridge.testing.SilentTcpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Redis that accepts connections and never answers: a burst of voice webhooks is still answered
 * with TwiML well within Twilio's 15 s, and a call on the echo agent keeps its audio flowing while
 * the burst is in flight.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		// fewer workers than webhooks in the burst, as in production when a burst outnumbers the 32:
		// webhooks that hold their workers while Redis is silent then show as audio that stops
		properties = { "server.tomcat.threads.max=8", "server.tomcat.threads.min-spare=2" })
@DirtiesContext
class SilentRedisIntegrationTests {

	private static final int WEBHOOKS = 10;

	/** Each webhook, well inside Twilio's 15 s. */
	private static final Duration WEBHOOK_BOUND = Duration.ofSeconds(5);

	/**
	 * The whole burst: ten webhooks that each waited out even one 2 s command in turn would take
	 * 20 s; this allows about two such waits in all.
	 */
	private static final Duration BURST_BOUND = Duration.ofSeconds(5);

	/** One frame's round trip through the echo agent while the burst is in flight. */
	private static final Duration ECHO_BOUND = Duration.ofSeconds(2);

	/** At least this many frames cross, burst or not: 1 s of audio. */
	private static final int MIN_FRAMES = 50;

	/** Started per run of the class: a rerun must meet a silent Redis too, not a closed port. */
	private static volatile SilentTcpServer redis;

	/** Long enough to measure webhooks that wait on Redis, rather than give up on them. */
	private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(120)).build();

	@LocalServerPort
	private int port;

	@Autowired
	private SharedState state;

	@Autowired
	private MeterRegistry meters;

	@DynamicPropertySource
	static void silentRedis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", () -> redis.redisUrl());
	}

	@BeforeAll
	static void startRedis() {
		redis = new SilentTcpServer();
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@Test
	void webhooksAreAnsweredAndACallsAudioFlowsWhileRedisIsSilent() throws Exception {
		try (FakeTwilioCall call = FakeTwilioCall.connect("ws://localhost:" + this.port + "/twilio-media",
				"MZ" + "5".repeat(32), "CA" + "5".repeat(32))) {
			call.start(Map.of());
			// the stream start's records go to Redis off the call's threads (CallRouter's recorder):
			// the first frame echoes at once
			String first = Audio.frame(1);
			call.media(first);
			assertThat(call.next("media", ECHO_BOUND).path("media").path("payload").asText()).isEqualTo(first);

			ExecutorService twilio = Executors.newFixedThreadPool(WEBHOOKS);
			try {
				CountDownLatch go = new CountDownLatch(1);
				List<CompletableFuture<Webhook>> webhooks = new ArrayList<>();
				for (int i = 0; i < WEBHOOKS; i++) {
					String callSid = "CA" + String.format("%032d", i);
					webhooks.add(CompletableFuture.supplyAsync(() -> voice(go, callSid), twilio));
				}
				long burstStarted = System.nanoTime();
				go.countDown();
				CompletableFuture<Void> burst = CompletableFuture.allOf(webhooks.toArray(CompletableFuture[]::new));

				List<Long> echoes = new ArrayList<>();
				for (int frame = 0; !burst.isDone() || frame < MIN_FRAMES; frame++) {
					String payload = Audio.frame(100 + frame);
					long sent = System.nanoTime();
					call.media(payload);
					assertThat(call.next("media", ECHO_BOUND).path("media").path("payload").asText())
						.as("frame %d, %d webhooks still in flight", frame,
								webhooks.stream().filter((webhook) -> !webhook.isDone()).count())
						.isEqualTo(payload);
					echoes.add((System.nanoTime() - sent) / 1_000_000);
				}
				burst.get(120, TimeUnit.SECONDS);
				long lastAnswer = webhooks.stream().mapToLong((webhook) -> webhook.join().answeredAt()).max().orElseThrow();
				long burstMillis = (lastAnswer - burstStarted) / 1_000_000;

				List<Long> latencies = webhooks.stream().map((webhook) -> webhook.join().millis()).toList();
				String measured = "webhooks (ms) " + latencies + ", burst " + burstMillis + " ms, slowest echo "
						+ echoes.stream().mapToLong(Long::longValue).max().orElse(0) + " ms, Redis connections "
						+ redis.accepted();
				for (CompletableFuture<Webhook> webhook : webhooks) {
					Webhook answer = webhook.join();
					assertThat(answer.status()).as(measured).isEqualTo(200);
					assertThat(answer.body()).as(measured).contains("<Connect").contains("<Stream");
					assertThat(answer.millis()).as(measured).isLessThan(WEBHOOK_BOUND.toMillis());
				}
				assertThat(burstMillis).as(measured).isLessThan(BURST_BOUND.toMillis());
				// one try per cool-down, not one per command
				assertThat(redis.accepted()).as(measured).isLessThanOrEqualTo(3);
				// the first command waits out its timeout, wherever it was made; then the guard knows
				await().atMost(Duration.ofSeconds(10)).until(() -> !this.state.answering());
				assertThat(this.meters.get("voicebridge.state.available").tag("kind", "redis").gauge().value()).isZero();
			}
			finally {
				twilio.shutdownNow();
			}
		}
	}

	private Webhook voice(CountDownLatch go, String callSid) {
		try {
			go.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		Request request = new Request.Builder().url("http://localhost:" + this.port + "/twilio/voice")
			.post(new FormBody.Builder().add("CallSid", callSid)
				.add("From", "+15551230000")
				.add("To", "+15557650000")
				.add("Direction", "inbound")
				.build())
			.build();
		long started = System.nanoTime();
		try (Response response = this.http.newCall(request).execute()) {
			String body = response.body().string();
			long answeredAt = System.nanoTime();
			return new Webhook(response.code(), body, (answeredAt - started) / 1_000_000, answeredAt);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** @param answeredAt {@link System#nanoTime()} */
	private record Webhook(int status, String body, long millis, long answeredAt) {
	}

}

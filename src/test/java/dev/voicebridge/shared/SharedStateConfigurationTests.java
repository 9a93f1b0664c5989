package dev.voicebridge.shared;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.voicebridge.config.InvalidSettingFailureAnalyzer;
import dev.voicebridge.testing.SilentTcpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Tests for {@link SharedStateConfiguration}: memory without {@code REDIS_URL} and no Redis client
 * at all, Redis with it, no connection attempted at start-up either way, and a Redis that accepts
 * connections but never answers costing one caller its timeout while the others fail fast.
 */
@ExtendWith(OutputCaptureExtension.class)
class SharedStateConfigurationTests {

	private static final int CALLERS = 10;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(SharedStateConfiguration.class)
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new);

	@Test
	void withoutRedisUrlStateIsInMemoryAndThereIsNoRedisClient() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(SharedState.class)).isInstanceOf(InMemorySharedState.class);
			assertThat(context).doesNotHaveBean(RedisConnectionFactory.class);
			assertThat(available(context.getBean(MeterRegistry.class), "memory")).isEqualTo(1);
		});
	}

	@Test
	void aRedisUrlThatDoesNotParseStopsStartUpWithoutRepeatingItsPassword() {
		for (String url : List.of("redis://default:p@ss/w0rd@redis.internal:6379",
				"redis://default:p%ss-w0rd@redis.internal:6379", "redis://:pa ss-w0rd@redis.internal:6379")) {
			this.runner.withPropertyValues("spring.data.redis.url=" + url).run((context) -> {
				assertThat(context).hasFailed();
				StringBuilder chain = new StringBuilder();
				for (Throwable failure = context.getStartupFailure(); failure != null; failure = failure.getCause()) {
					chain.append(failure).append('\n');
				}
				assertThat(chain.toString()).as(url).doesNotContain("w0rd").doesNotContain("p@ss");
				FailureAnalysis analysis = new InvalidSettingFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).startsWith("Invalid configuration: REDIS_URL (spring.data.redis.url) "
						+ "is not a valid redis:// or rediss:// URL (redis://****@redis.internal:6379)");
			});
		}
	}

	@Test
	void withRedisUrlStateIsInRedisAndStartUpDoesNotNeedTheServer() {
		// nothing listens on port 1: start-up must not connect
		this.runner.withPropertyValues("spring.data.redis.url=redis://:secret@127.0.0.1:1").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(SharedState.class)).isInstanceOf(FailFastSharedState.class);
			assertThat(context.getBean(SharedState.class).kind()).isEqualTo("redis");
			assertThat(available(context.getBean(MeterRegistry.class), "redis")).isEqualTo(1);
		});
	}

	@Test
	void aSilentRedisCostsOneCallerItsTimeoutWhileTheOthersFailFast(CapturedOutput output) throws Exception {
		try (SilentTcpServer redis = new SilentTcpServer()) {
			this.runner.withPropertyValues("spring.data.redis.url=redis://:secret@127.0.0.1:" + redis.port())
				.run((context) -> {
					SharedState state = context.getBean(SharedState.class);
					ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
					try {
						CountDownLatch go = new CountDownLatch(1);
						List<CompletableFuture<Outcome>> calls = new ArrayList<>();
						for (int i = 0; i < CALLERS; i++) {
							String key = "k" + i;
							calls.add(CompletableFuture.supplyAsync(() -> outcome(go, () -> state.get(key)), callers));
						}
						go.countDown();
						// unguarded, they would wait out one 2 s connect timeout after another: 20 s
						CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
						List<Outcome> outcomes = calls.stream().map(CompletableFuture::join).toList();
						assertThat(outcomes).filteredOn((call) -> call.failure() instanceof RedisConnectionFailureException)
							.as("the one that tried Redis, %s", outcomes)
							.singleElement()
							.satisfies((call) -> assertThat(call.millis())
								.isGreaterThanOrEqualTo(SharedStateConfiguration.COMMAND_TIMEOUT.toMillis() - 100));
						assertThat(outcomes)
							.filteredOn((call) -> call.failure() instanceof SharedStateUnavailableException)
							.as("the others, %s", outcomes)
							.hasSize(CALLERS - 1)
							// well under the timeout the one caller waited; not a speed figure (a loaded
							// 2-core machine took 513 ms once)
							.allSatisfy((call) -> assertThat(call.millis())
								.isLessThan(SharedStateConfiguration.COMMAND_TIMEOUT.toMillis() / 2));
					}
					finally {
						callers.shutdownNow();
					}
					assertTimeoutPreemptively(Duration.ofMillis(500), () -> assertThatExceptionOfType(
							SharedStateUnavailableException.class)
						.isThrownBy(() -> state.put("k", "v", Duration.ofMinutes(1))));
					assertThat(redis.accepted()).as("connections Redis saw").isEqualTo(1);
					assertThat(state.answering()).isFalse();
					assertThat(available(context.getBean(MeterRegistry.class), "redis")).isZero();
				});
		}
		assertThat(output.getOut()).containsOnlyOnce("is not answering").doesNotContain("secret");
	}

	private static double available(MeterRegistry meters, String kind) {
		return meters.get("voicebridge.state.available").tag("kind", kind).gauge().value();
	}

	private static Outcome outcome(CountDownLatch go, Runnable call) {
		try {
			go.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		long started = System.nanoTime();
		RuntimeException failure = null;
		try {
			call.run();
		}
		catch (RuntimeException ex) {
			failure = ex;
		}
		return new Outcome(failure, (System.nanoTime() - started) / 1_000_000);
	}

	private record Outcome(RuntimeException failure, long millis) {

		@Override
		public String toString() {
			return ((this.failure != null) ? this.failure.getClass().getSimpleName() : "answered") + " in "
					+ this.millis + " ms";
		}

	}

}

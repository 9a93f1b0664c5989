package dev.voicebridge.shared;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.lettuce.core.RedisCommandTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Tests for {@link FailFastSharedState}: after a timeout or a failed connection every call fails
 * at once without asking the store, until the cool-down ends and one call tries it again; errors
 * the store answered with do not count; one line is logged each way.
 */
@ExtendWith(OutputCaptureExtension.class)
class FailFastSharedStateTests {

	/** Failing fast means far less than the 2 s a silent Redis makes a command wait. */
	private static final Duration FAST = Duration.ofMillis(500);

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final AtomicLong now = new AtomicLong(1_000);

	private final Store store = new Store();

	private final FailFastSharedState state = new FailFastSharedState(this.store, "Redis at 127.0.0.1:6379",
			this.now::get);

	@AfterEach
	void releaseHungCalls() {
		this.store.hung.countDown();
	}

	@Test
	void aTimeoutMakesEveryCallFailFastWithoutAskingTheStore() {
		stopAnswering();
		this.store.hang();
		assertTimeoutPreemptively(FAST, () -> {
			assertThatExceptionOfType(SharedStateUnavailableException.class).isThrownBy(() -> this.state.get("a"));
			assertThatExceptionOfType(SharedStateUnavailableException.class)
				.isThrownBy(() -> this.state.put("a", "1", null));
			assertThatExceptionOfType(SharedStateUnavailableException.class).isThrownBy(() -> this.state.delete("a"));
			assertThatExceptionOfType(SharedStateUnavailableException.class)
				.isThrownBy(() -> this.state.increment("a", Duration.ofMinutes(1)));
		});
		assertThat(this.store.calls()).isEqualTo(1);
		assertThat(this.state.answering()).isFalse();
	}

	@Test
	void aFailedConnectionStopsItToo() {
		this.store.answer(() -> {
			throw new RedisConnectionFailureException("Unable to connect to Redis");
		});
		assertThatExceptionOfType(RedisConnectionFailureException.class).isThrownBy(() -> this.state.get("a"));
		assertThat(this.state.answering()).isFalse();
		assertThatExceptionOfType(SharedStateUnavailableException.class).isThrownBy(() -> this.state.get("a"));
		assertThat(this.store.calls()).isEqualTo(1);
	}

	@Test
	void afterTheCoolDownOneCallTriesTheStoreWhileTheOthersFailFast() throws Exception {
		stopAnswering();
		advance(FailFastSharedState.COOL_DOWN.minusMillis(1));
		assertThatExceptionOfType(SharedStateUnavailableException.class).isThrownBy(() -> this.state.get("a"));
		advance(Duration.ofMillis(1));
		CountDownLatch tried = new CountDownLatch(1);
		CountDownLatch answer = new CountDownLatch(1);
		this.store.answer(() -> {
			tried.countDown();
			await(answer);
			return Optional.of("1");
		});
		CompletableFuture<Optional<String>> probe = CompletableFuture.supplyAsync(() -> this.state.get("a"));
		assertThat(tried.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		assertTimeoutPreemptively(FAST, () -> assertThatExceptionOfType(SharedStateUnavailableException.class)
			.isThrownBy(() -> this.state.get("b")));
		answer.countDown();
		assertThat(probe.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).contains("1");
		assertThat(this.state.answering()).isTrue();
		this.store.answer(() -> Optional.of("2"));
		assertThat(this.state.get("c")).contains("2");
		assertThat(this.store.calls()).as("the first timeout, the probe and c; never b").isEqualTo(3);
	}

	@Test
	void aProbeThatTimesOutStartsAnotherCoolDown() {
		stopAnswering();
		advance(FailFastSharedState.COOL_DOWN);
		assertThatExceptionOfType(QueryTimeoutException.class).isThrownBy(() -> this.state.get("a"));
		advance(FailFastSharedState.COOL_DOWN.minusMillis(1));
		assertThatExceptionOfType(SharedStateUnavailableException.class).isThrownBy(() -> this.state.get("a"));
		advance(Duration.ofMillis(1));
		this.store.answer(() -> Optional.of("1"));
		assertThat(this.state.get("a")).contains("1");
		assertThat(this.store.calls()).isEqualTo(3);
	}

	@Test
	void untilTheStoreFirstAnswersCallsGoOneAtATime() throws Exception {
		CountDownLatch tried = new CountDownLatch(1);
		CountDownLatch answer = new CountDownLatch(1);
		this.store.answer(() -> {
			tried.countDown();
			await(answer);
			return Optional.of("1");
		});
		CompletableFuture<Optional<String>> first = CompletableFuture.supplyAsync(() -> this.state.get("a"));
		assertThat(tried.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		assertTimeoutPreemptively(FAST, () -> assertThatExceptionOfType(SharedStateUnavailableException.class)
			.isThrownBy(() -> this.state.get("b")));
		answer.countDown();
		assertThat(first.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).contains("1");
		assertThat(this.state.get("c")).contains("1");
	}

	@Test
	void errorsTheStoreAnsweredWithDoNotStopIt() {
		this.store.answer(() -> {
			throw new InvalidDataAccessApiUsageException("WRONGTYPE Operation against a key holding the wrong kind");
		});
		assertThatExceptionOfType(InvalidDataAccessApiUsageException.class).isThrownBy(() -> this.state.get("a"));
		assertThat(this.state.answering()).isTrue();
		this.store.answer(() -> Optional.of("1"));
		assertThat(this.state.get("a")).contains("1");
		assertThat(this.store.calls()).isEqualTo(2);
	}

	@Test
	void logsOneWarningWhenItStopsAndOneLineWhenItAnswersAgain(CapturedOutput output) throws Exception {
		this.store.answer(() -> Optional.of("0"));
		this.state.get("a");
		// two calls in flight when Redis goes silent both time out; one warning
		CountDownLatch inFlight = new CountDownLatch(2);
		CountDownLatch timeOut = new CountDownLatch(1);
		this.store.answer(() -> {
			inFlight.countDown();
			await(timeOut);
			throw new QueryTimeoutException("Redis command timed out");
		});
		CompletableFuture<Optional<String>> first = CompletableFuture.supplyAsync(() -> this.state.get("a"));
		CompletableFuture<Optional<String>> second = CompletableFuture.supplyAsync(() -> this.state.get("b"));
		assertThat(inFlight.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		timeOut.countDown();
		for (CompletableFuture<Optional<String>> call : List.of(first, second)) {
			assertThat(call).failsWithin(WAIT).withThrowableThat().withCauseInstanceOf(QueryTimeoutException.class);
		}
		advance(FailFastSharedState.COOL_DOWN);
		this.store.answer(() -> {
			throw new QueryTimeoutException("Redis command timed out");
		});
		assertThatExceptionOfType(QueryTimeoutException.class).isThrownBy(() -> this.state.get("a"));
		advance(FailFastSharedState.COOL_DOWN);
		this.store.answer(() -> Optional.of("1"));
		this.state.get("a");
		this.state.get("b");
		// the failed probe logs at DEBUG only, which the log level of the test run may hide
		assertThat(output.getOut().split("\n"))
			.filteredOn((line) -> line.contains("[State]") && !line.contains("DEBUG"))
			.satisfiesExactly(
					(line) -> assertThat(line).contains("WARN")
						.contains("shared state in Redis at 127.0.0.1:6379 is not answering (Redis command timed out)"),
					(line) -> assertThat(line).contains("INFO")
						.contains("shared state in Redis at 127.0.0.1:6379 answers again"));
	}

	@Test
	void classifiesTimeoutsAndConnectionFailuresAsSilence() {
		assertThat(FailFastSharedState.silent(new QueryTimeoutException("timed out"))).isTrue();
		assertThat(FailFastSharedState.silent(new RedisConnectionFailureException("Unable to connect"))).isTrue();
		assertThat(FailFastSharedState.silent(new IllegalStateException("wrapped",
				new RedisCommandTimeoutException("Command timed out after 2 second(s)"))))
			.isTrue();
		assertThat(FailFastSharedState.silent(new InvalidDataAccessApiUsageException("WRONGTYPE"))).isFalse();
		assertThat(FailFastSharedState.silent(new IllegalStateException("in-memory shared state is full"))).isFalse();
	}

	private void stopAnswering() {
		this.store.answer(() -> {
			throw new QueryTimeoutException("Redis command timed out");
		});
		assertThatExceptionOfType(QueryTimeoutException.class).isThrownBy(() -> this.state.get("a"));
		assertThat(this.state.answering()).isFalse();
	}

	private void advance(Duration duration) {
		this.now.addAndGet(duration.toNanos());
	}

	private static void await(CountDownLatch latch) {
		try {
			if (!latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new AssertionError("latch not released within " + WAIT);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** A store whose every operation does what the test last told it to, and counts. */
	private static final class Store implements SharedState {

		private final AtomicInteger calls = new AtomicInteger();

		private final CountDownLatch hung = new CountDownLatch(1);

		private volatile Supplier<Optional<String>> behaviour = Optional::empty;

		void answer(Supplier<Optional<String>> behaviour) {
			this.behaviour = behaviour;
		}

		/** Like a silent Redis: a call that reaches the store waits until the test ends. */
		void hang() {
			answer(() -> {
				await(this.hung);
				return Optional.empty();
			});
		}

		int calls() {
			return this.calls.get();
		}

		@Override
		public Optional<String> get(String key) {
			this.calls.incrementAndGet();
			return this.behaviour.get();
		}

		@Override
		public void put(String key, String value, Duration ttl) {
			get(key);
		}

		@Override
		public boolean delete(String key) {
			return get(key).isPresent();
		}

		@Override
		public long increment(String key, Duration ttl) {
			return get(key).map(Long::parseLong).orElse(1L);
		}

		@Override
		public String kind() {
			return "redis";
		}

	}

}

package dev.voicebridge.shared;

import java.time.Duration;
import java.util.Optional;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class FailSoftSharedStateTests {

	private final Logger log = (Logger) LoggerFactory.getLogger(FailSoftSharedStateTests.class);

	private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

	@BeforeEach
	void listen() {
		this.logged.start();
		this.log.addAppender(this.logged);
	}

	@AfterEach
	void stopListening() {
		this.log.detachAppender(this.logged);
	}

	@Test
	void aStateThatDoesNotAnswerReadsAsEmptySkipsWritesAndCountsAsFirst() {
		SharedState state = FailSoftSharedState.of(new Silent(), this.log, "[Test]");

		assertThat(state.get("breaker:open")).isEmpty();
		state.put("stream:CA1", "handed-out", Duration.ofMinutes(1));
		assertThat(state.delete("conversation:CA1")).isTrue();
		assertThat(state.increment("breaker:failures", Duration.ofMinutes(1))).isEqualTo(1);
		assertThat(state.kind()).isEqualTo("redis");
		assertThat(state.answering()).isFalse();
		assertThat(this.logged.list).extracting(ILoggingEvent::getFormattedMessage)
			.containsExactly(
					"[Test] could not read breaker:open in the shared state (redis), going on without it: "
							+ "dev.voicebridge.shared.SharedStateUnavailableException: Redis is not answering",
					"[Test] could not write stream:CA1 in the shared state (redis), going on without it: "
							+ "dev.voicebridge.shared.SharedStateUnavailableException: Redis is not answering",
					"[Test] could not delete conversation:CA1 in the shared state (redis), going on without it: "
							+ "dev.voicebridge.shared.SharedStateUnavailableException: Redis is not answering",
					"[Test] could not count breaker:failures in the shared state (redis), going on without it: "
							+ "dev.voicebridge.shared.SharedStateUnavailableException: Redis is not answering");
	}

	@Test
	void anAnsweringStateIsPassedThrough() {
		SharedState memory = new InMemorySharedState();
		SharedState state = FailSoftSharedState.of(memory, this.log, "[Test]");

		state.put("k", "v", null);
		assertThat(memory.get("k")).contains("v");
		assertThat(state.get("k")).contains("v");
		assertThat(state.increment("n", Duration.ofMinutes(1))).isEqualTo(1);
		assertThat(state.increment("n", Duration.ofMinutes(1))).isEqualTo(2);
		assertThat(state.delete("k")).isTrue();
		assertThat(state.delete("k")).isFalse();
		assertThat(this.logged.list).isEmpty();
	}

	/** Redis while it is down. */
	private static final class Silent implements SharedState {

		@Override
		public Optional<String> get(String key) {
			throw down();
		}

		@Override
		public void put(String key, String value, Duration ttl) {
			throw down();
		}

		@Override
		public boolean delete(String key) {
			throw down();
		}

		@Override
		public long increment(String key, Duration ttl) {
			throw down();
		}

		@Override
		public String kind() {
			return "redis";
		}

		@Override
		public boolean answering() {
			return false;
		}

		private static SharedStateUnavailableException down() {
			return new SharedStateUnavailableException("Redis is not answering");
		}

	}

}

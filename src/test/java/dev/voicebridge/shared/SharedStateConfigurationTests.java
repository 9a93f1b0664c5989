package dev.voicebridge.shared;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SharedStateConfiguration}: memory without {@code REDIS_URL} and no Redis client
 * at all, Redis with it, and no connection attempted at start-up either way.
 */
class SharedStateConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(SharedStateConfiguration.class);

	@Test
	void withoutRedisUrlStateIsInMemoryAndThereIsNoRedisClient() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(SharedState.class)).isInstanceOf(InMemorySharedState.class);
			assertThat(context).doesNotHaveBean(RedisConnectionFactory.class);
		});
	}

	@Test
	void withRedisUrlStateIsInRedisAndStartUpDoesNotNeedTheServer() {
		// nothing listens on port 1: start-up must not connect
		this.runner.withPropertyValues("spring.data.redis.url=redis://:secret@127.0.0.1:1").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(SharedState.class)).isInstanceOf(RedisSharedState.class);
			assertThat(context.getBean(SharedState.class).kind()).isEqualTo("redis");
		});
	}

}

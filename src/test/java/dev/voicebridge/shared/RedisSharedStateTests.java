package dev.voicebridge.shared;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.voicebridge.testing.RedisServer;
import dev.voicebridge.testing.RequiresProgram;
import dev.voicebridge.testing.TestProgram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link RedisSharedState} against a real {@code redis-server}: the same contract as the
 * in-memory state, with Redis's own expiry.
 */
@RequiresProgram(TestProgram.REDIS_SERVER)
class RedisSharedStateTests {

	private static RedisServer server;

	private static LettuceConnectionFactory connections;

	private static RedisSharedState state;

	@BeforeAll
	static void startRedis() {
		server = RedisServer.start();
		connections = new LettuceConnectionFactory(LettuceConnectionFactory.createRedisConfiguration(server.url()));
		connections.afterPropertiesSet();
		connections.start();
		state = new RedisSharedState(new StringRedisTemplate(connections));
	}

	@AfterAll
	static void stopRedis() {
		if (connections != null) {
			connections.destroy();
		}
		if (server != null) {
			server.close();
		}
	}

	@Test
	void valuesRoundTripWithAPrefixAndExpire() {
		state.put("a", "1", Duration.ofMillis(300));
		state.put("b", "2", null);
		assertThat(state.get("a")).contains("1");
		StringRedisTemplate raw = new StringRedisTemplate(connections);
		assertThat(raw.opsForValue().get("voicebridge:b")).isEqualTo("2");
		assertThat(raw.getExpire("voicebridge:b")).isEqualTo(-1);
		await().atMost(Duration.ofSeconds(5)).until(() -> state.get("a").isEmpty());
	}

	@Test
	void countersGetTheirTtlOnTheFirstCountOnly() {
		assertThat(state.increment("c", Duration.ofMillis(400))).isEqualTo(1);
		assertThat(state.increment("c", Duration.ofMinutes(10))).isEqualTo(2);
		await().atMost(Duration.ofSeconds(5)).until(() -> state.get("c").isEmpty());
		assertThat(state.increment("c", Duration.ofMinutes(1))).isEqualTo(1);
	}

	@Test
	void onlyOneDeleteWins() {
		state.put("d", "1", Duration.ofMinutes(1));
		assertThat(state.delete("d")).isTrue();
		assertThat(state.delete("d")).isFalse();
	}

}

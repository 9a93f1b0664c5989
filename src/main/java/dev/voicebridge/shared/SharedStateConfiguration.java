package dev.voicebridge.shared;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Shared state in memory, or in Redis when {@code REDIS_URL} ({@code spring.data.redis.url}) is
 * set. Boot's Redis auto-configuration is excluded (application.yml): it would build a client for
 * {@code localhost:6379} and a health check that goes DOWN on every instance that has no Redis.
 * Here the client exists only when a URL is given.
 */
@Configuration(proxyBeanMethods = false)
class SharedStateConfiguration {

	private static final Logger log = LoggerFactory.getLogger(SharedStateConfiguration.class);

	static final String REDIS_URL = "spring.data.redis.url";

	/** A webhook must answer within Twilio's 15 s, so a Redis that hangs must fail fast. */
	static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

	@Bean
	SharedState sharedState(ObjectProvider<StringRedisTemplate> redis) {
		StringRedisTemplate template = redis.getIfAvailable();
		if (template == null) {
			log.info("[State] REDIS_URL is not set: conversations, routing and the breaker are kept in memory "
					+ "(one instance)");
			return new InMemorySharedState();
		}
		return new RedisSharedState(template);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(REDIS_URL)
	static class RedisConfiguration {

		@Bean
		LettuceConnectionFactory redisConnectionFactory(Environment environment) {
			String url = environment.getRequiredProperty(REDIS_URL);
			RedisURI uri = RedisURI.create(url);
			LettuceClientConfiguration.LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder()
				.commandTimeout(COMMAND_TIMEOUT)
				.clientOptions(ClientOptions.builder()
					.socketOptions(SocketOptions.builder().connectTimeout(COMMAND_TIMEOUT).build())
					.build());
			if (uri.isSsl()) {
				client.useSsl();
			}
			// the URL's password never reaches the log
			log.info("[State] shared state in Redis at {}:{}", uri.getHost(), uri.getPort());
			return new LettuceConnectionFactory(LettuceConnectionFactory.createRedisConfiguration(uri), client.build());
		}

		@Bean
		StringRedisTemplate stringRedisTemplate(LettuceConnectionFactory redisConnectionFactory) {
			return new StringRedisTemplate(redisConnectionFactory);
		}

	}

}

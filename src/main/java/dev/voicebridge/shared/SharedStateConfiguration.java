package dev.voicebridge.shared;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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

import dev.voicebridge.config.InvalidSettingException;
import dev.voicebridge.config.Secrets;

/**
 * Shared state in memory, or in Redis when {@code REDIS_URL} ({@code spring.data.redis.url}) is
 * set. Boot's Redis auto-configuration is excluded (application.yml): it would build a client for
 * {@code localhost:6379} and a health check that goes DOWN on every instance that has no Redis.
 * Here the client exists only when a URL is given, and calls to it fail fast while it does not
 * answer ({@link FailFastSharedState}).
 */
@Configuration(proxyBeanMethods = false)
class SharedStateConfiguration {

	private static final Logger log = LoggerFactory.getLogger(SharedStateConfiguration.class);

	static final String REDIS_URL = "spring.data.redis.url";

	/**
	 * A webhook must answer within Twilio's 15 s, so a Redis that hangs must fail fast. With
	 * {@link FailFastSharedState} in front, a caller waits this long at most once, not per command.
	 */
	static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

	/**
	 * Parses {@code REDIS_URL}; a URL that does not parse (a password with an unescaped {@code @}
	 * or {@code /}, say) stops start-up with its user info masked: the parser's own message would
	 * repeat the whole URL, password included.
	 */
	static RedisURI redisUri(String url) {
		try {
			return RedisURI.create(url);
		}
		catch (RuntimeException ex) {
			throw new InvalidSettingException(REDIS_URL, "is not a valid redis:// or rediss:// URL ("
					+ Secrets.withoutUserInfo(url) + "): percent-encode special characters of the password");
		}
	}

	@Bean
	SharedState sharedState(ObjectProvider<StringRedisTemplate> redis, Environment environment,
			MeterRegistry meters) {
		StringRedisTemplate template = redis.getIfAvailable();
		SharedState state;
		if (template == null) {
			log.info("[State] REDIS_URL is not set: conversations, routing and the breaker are kept in memory "
					+ "(one instance)");
			state = new InMemorySharedState();
		}
		else {
			RedisURI uri = redisUri(environment.getRequiredProperty(REDIS_URL));
			// host and port only: the URL's password never reaches the log
			state = new FailFastSharedState(new RedisSharedState(template),
					"Redis at " + uri.getHost() + ":" + uri.getPort());
		}
		Gauge.builder("voicebridge.state.available", state, (shared) -> shared.answering() ? 1 : 0)
			.description("1 while the shared state answers; 0 while Redis does not and calls fall back without it")
			.tag("kind", state.kind())
			.register(meters);
		return state;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(REDIS_URL)
	static class RedisConfiguration {

		@Bean
		LettuceConnectionFactory redisConnectionFactory(Environment environment) {
			RedisURI uri = redisUri(environment.getRequiredProperty(REDIS_URL));
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

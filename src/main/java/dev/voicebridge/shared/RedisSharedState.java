package dev.voicebridge.shared;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Shared state in Redis, for several instances behind one number. Every key carries the
 * {@code voicebridge:} prefix, so the service can share a Redis with others.
 */
class RedisSharedState implements SharedState {

	static final String PREFIX = "voicebridge:";

	/** INCR and, for a new counter only, its expiry, in one step: no counter is left without a TTL. */
	private static final RedisScript<Long> INCREMENT = RedisScript.of("""
			local count = redis.call('INCR', KEYS[1])
			if count == 1 and tonumber(ARGV[1]) > 0 then
			  redis.call('PEXPIRE', KEYS[1], ARGV[1])
			end
			return count
			""", Long.class);

	private final StringRedisTemplate redis;

	RedisSharedState(StringRedisTemplate redis) {
		this.redis = redis;
	}

	@Override
	public Optional<String> get(String key) {
		return Optional.ofNullable(this.redis.opsForValue().get(PREFIX + key));
	}

	@Override
	public void put(String key, String value, Duration ttl) {
		if (ttl != null) {
			this.redis.opsForValue().set(PREFIX + key, value, ttl);
		}
		else {
			this.redis.opsForValue().set(PREFIX + key, value);
		}
	}

	@Override
	public boolean delete(String key) {
		return Boolean.TRUE.equals(this.redis.delete(PREFIX + key));
	}

	@Override
	public long increment(String key, Duration ttl) {
		Long count = this.redis.execute(INCREMENT, List.of(PREFIX + key),
				Long.toString((ttl != null) ? ttl.toMillis() : 0));
		return (count != null) ? count : 0;
	}

	@Override
	public String kind() {
		return "redis";
	}

}

package dev.voicebridge.shared;

import java.time.Duration;
import java.util.Optional;

/**
 * Small key-value state that every instance behind one number must see alike: traditional-mode
 * conversations, the run-time realtime probability and the stream breaker. In memory on one
 * instance, in Redis when {@code REDIS_URL} is set. Keys are plain names; implementations add
 * their own prefix.
 */
public interface SharedState {

	/** The value under a key, if it is there and has not expired. */
	Optional<String> get(String key);

	/** Stores a value; {@code ttl} null keeps it until it is changed or deleted. */
	void put(String key, String value, Duration ttl);

	/** Removes a key; true only for the one caller that actually removed it. */
	boolean delete(String key);

	/**
	 * Adds one to a counter and returns the new value. A new counter expires after {@code ttl};
	 * later increments do not extend it, so the counter measures a window from its first count.
	 */
	long increment(String key, Duration ttl);

	/** Where the state lives: {@code memory} or {@code redis}. */
	String kind();

	/**
	 * Whether the state answers now. False while a store that stopped answering is skipped and
	 * every call fails fast with {@link SharedStateUnavailableException}.
	 */
	default boolean answering() {
		return true;
	}

}

package dev.voicebridge.shared;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;

/**
 * Shared state in front of a store that can hang (Redis). Its callers are web request threads,
 * the same few that carry every call's media, so once a command times out or the connection
 * fails, every call fails fast for {@link #COOL_DOWN}; then one call tries the store again. No
 * call waits longer than the store's own timeout, and during an outage one call per cool-down
 * does.
 */
final class FailFastSharedState implements SharedState {

	private static final Logger log = LoggerFactory.getLogger(FailFastSharedState.class);

	/**
	 * How long a store that stopped answering is left alone: long enough that a silent Redis
	 * costs one caller a timeout per period rather than every caller one, short enough that a
	 * Redis that is back is used again within a traditional-mode turn or two.
	 */
	static final Duration COOL_DOWN = Duration.ofSeconds(5);

	private enum Health {

		/**
		 * Nothing has answered yet. Calls go one at a time, as after a cool-down: Spring's Lettuce
		 * factory connects under a lock, so a burst against a silent Redis would otherwise wait out
		 * one connect timeout after another.
		 */
		UNPROVEN,

		ANSWERING,

		SILENT

	}

	private final SharedState store;

	private final String where;

	private final LongSupplier nanoTime;

	/** Whether a call is trying a store that is not known to answer; the others fail fast meanwhile. */
	private final AtomicBoolean probing = new AtomicBoolean();

	private volatile Health health = Health.UNPROVEN;

	/** While {@link Health#SILENT}: when the next call may try the store ({@link System#nanoTime()}). */
	private volatile long retryAt;

	/**
	 * @param store the store to guard
	 * @param where what to call it in logs, e.g. {@code Redis at host:port}; never with credentials
	 */
	FailFastSharedState(SharedState store, String where) {
		this(store, where, System::nanoTime);
	}

	/** With a clock of its own ({@link System#nanoTime()} semantics), for tests. */
	FailFastSharedState(SharedState store, String where, LongSupplier nanoTime) {
		this.store = store;
		this.where = where;
		this.nanoTime = nanoTime;
	}

	@Override
	public Optional<String> get(String key) {
		return call(() -> this.store.get(key));
	}

	@Override
	public void put(String key, String value, Duration ttl) {
		call(() -> {
			this.store.put(key, value, ttl);
			return null;
		});
	}

	@Override
	public boolean delete(String key) {
		return call(() -> this.store.delete(key));
	}

	@Override
	public long increment(String key, Duration ttl) {
		return call(() -> this.store.increment(key, ttl));
	}

	@Override
	public String kind() {
		return this.store.kind();
	}

	/** False from a timeout or connection failure until the store answers a call again. */
	@Override
	public boolean answering() {
		return this.health != Health.SILENT;
	}

	private <T> T call(Supplier<T> command) {
		Health now = this.health;
		if (now == Health.ANSWERING) {
			try {
				return command.get();
			}
			catch (RuntimeException ex) {
				if (silent(ex)) {
					stopped(ex);
				}
				throw ex;
			}
		}
		if ((now == Health.SILENT && this.nanoTime.getAsLong() - this.retryAt < 0)
				|| !this.probing.compareAndSet(false, true)) {
			throw new SharedStateUnavailableException(
					"shared state in " + this.where + " is not answering (failing fast until it does)");
		}
		try {
			T result = command.get();
			answered();
			return result;
		}
		catch (RuntimeException ex) {
			if (silent(ex)) {
				stopped(ex);
			}
			else {
				// the store replied, if only with an error: it is there
				answered();
			}
			throw ex;
		}
		finally {
			this.probing.set(false);
		}
	}

	private synchronized void stopped(RuntimeException ex) {
		// written before health, which readers read first
		this.retryAt = this.nanoTime.getAsLong() + COOL_DOWN.toNanos();
		if (this.health != Health.SILENT) {
			this.health = Health.SILENT;
			log.warn("[State] shared state in {} is not answering ({}): calls fall back without it, one call tries "
					+ "again every {} s", this.where, reason(ex), COOL_DOWN.toSeconds());
		}
		else {
			log.debug("[State] shared state in {} still not answering: {}", this.where, reason(ex));
		}
	}

	private synchronized void answered() {
		if (this.health == Health.SILENT) {
			log.info("[State] shared state in {} answers again", this.where);
		}
		this.health = Health.ANSWERING;
	}

	/** A timeout or a connection that failed, as Spring translates Lettuce's, or Lettuce's own. */
	static boolean silent(Throwable ex) {
		Throwable cause = ex;
		for (int depth = 0; cause != null && depth < 10; depth++, cause = cause.getCause()) {
			if (cause instanceof QueryTimeoutException || cause instanceof DataAccessResourceFailureException
					|| cause instanceof RedisCommandTimeoutException || cause instanceof RedisConnectionException
					|| cause instanceof TimeoutException) {
				return true;
			}
		}
		return false;
	}

	/** The innermost message, without any credentials a URL in it might carry. */
	private static String reason(Throwable ex) {
		Throwable root = ex;
		for (int depth = 0; root.getCause() != null && depth < 10; depth++) {
			root = root.getCause();
		}
		String message = (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
		return message.replaceAll("://[^/\\s]*@", "://");
	}

}

package dev.voicebridge.shared;

import java.time.Duration;
import java.util.Optional;

import org.slf4j.Logger;

/**
 * The shared state for work that must go on without it: a call is still routed and answered
 * when Redis does not answer. A failed read finds nothing, a failed write is skipped, a failed
 * delete counts as done and a failed count as a first one; each failure is logged, with
 * its operation and key, under the feature's log prefix. Writes that must be seen by every
 * instance, or refused, use the state itself.
 */
public final class FailSoftSharedState implements SharedState {

	private final SharedState state;

	private final Logger log;

	private final String prefix;

	private FailSoftSharedState(SharedState state, Logger log, String prefix) {
		this.state = state;
		this.log = log;
		this.prefix = prefix;
	}

	/** {@code state} failing soft, logging to {@code log} with {@code prefix}, e.g. {@code [Routing]}. */
	public static SharedState of(SharedState state, Logger log, String prefix) {
		return new FailSoftSharedState(state, log, prefix);
	}

	@Override
	public Optional<String> get(String key) {
		try {
			return this.state.get(key);
		}
		catch (RuntimeException ex) {
			failed("read", key, ex);
			return Optional.empty();
		}
	}

	@Override
	public void put(String key, String value, Duration ttl) {
		try {
			this.state.put(key, value, ttl);
		}
		catch (RuntimeException ex) {
			failed("write", key, ex);
		}
	}

	@Override
	public boolean delete(String key) {
		try {
			return this.state.delete(key);
		}
		catch (RuntimeException ex) {
			failed("delete", key, ex);
			return true;
		}
	}

	@Override
	public long increment(String key, Duration ttl) {
		try {
			return this.state.increment(key, ttl);
		}
		catch (RuntimeException ex) {
			failed("count", key, ex);
			return 1;
		}
	}

	@Override
	public String kind() {
		return this.state.kind();
	}

	@Override
	public boolean answering() {
		return this.state.answering();
	}

	private void failed(String operation, String key, RuntimeException ex) {
		this.log.warn("{} could not {} {} in the shared state ({}), going on without it: {}", this.prefix, operation, key,
				kind(), ex.toString());
	}

}

package dev.voicebridge.routing;

import java.util.OptionalDouble;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.voicebridge.shared.FailSoftSharedState;
import dev.voicebridge.shared.SharedState;

/**
 * The share of new calls that use the stream: {@code REALTIME_PROBABILITY}, unless an admin set
 * another value at run time, which every instance then shares. The override has no TTL: it
 * holds until an admin changes it again (and, in memory, until a restart).
 */
class RealtimeProbability {

	private static final Logger log = LoggerFactory.getLogger(RealtimeProbability.class);

	static final String KEY = "routing:realtime-probability";

	private final SharedState state;

	/** The same, for reads: an unreachable shared state must not stop calls, the configured value holds. */
	private final SharedState reads;

	private final double configured;

	RealtimeProbability(SharedState state, double configured) {
		this.state = state;
		this.reads = FailSoftSharedState.of(state, log, "[Routing]");
		this.configured = configured;
	}

	double current() {
		return override().orElse(this.configured);
	}

	double configured() {
		return this.configured;
	}

	/** {@code admin} when overridden at run time, else {@code REALTIME_PROBABILITY}. */
	String source() {
		return override().isPresent() ? "admin" : "REALTIME_PROBABILITY";
	}

	void set(double probability) {
		if (!(probability >= 0.0 && probability <= 1.0)) {
			throw new IllegalArgumentException("probability must be between 0.0 and 1.0");
		}
		this.state.put(KEY, Double.toString(probability), null);
	}

	private OptionalDouble override() {
		String text = this.reads.get(KEY).orElse(null);
		try {
			return (text != null) ? OptionalDouble.of(Double.parseDouble(text)) : OptionalDouble.empty();
		}
		catch (NumberFormatException ex) {
			log.warn("[Routing] the run-time realtime probability in the shared state is not a number; using {}",
					this.configured);
			return OptionalDouble.empty();
		}
	}

}

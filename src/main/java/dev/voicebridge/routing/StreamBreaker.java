package dev.voicebridge.routing;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.voicebridge.config.RoutingProperties;
import dev.voicebridge.shared.FailSoftSharedState;
import dev.voicebridge.shared.SharedState;

/**
 * A circuit breaker over stream failures, kept in the shared state so every instance opens and
 * closes it together. {@code failures} failing calls in a row within {@code window} open it; while it
 * is open one new call in {@code trialEvery} still tries the stream, and the first stream that
 * starts closes it.
 */
class StreamBreaker {

	private static final Logger log = LoggerFactory.getLogger(StreamBreaker.class);

	static final String FAILURES = "routing:breaker:failures";

	static final String OPEN = "routing:breaker:open";

	static final String TRIALS = "routing:breaker:trials";

	/** Per call: a failure already counted for it. */
	static final String COUNTED = "routing:breaker:call:";

	private final SharedState state;

	private final RoutingProperties.Breaker settings;

	private final Clock clock;

	StreamBreaker(SharedState state, RoutingProperties.Breaker settings, Clock clock) {
		this.state = FailSoftSharedState.of(state, log, "[Routing]");
		this.settings = settings;
		this.clock = clock;
	}

	/**
	 * A stream failed: counts towards opening, and keeps an open breaker open. A call counts
	 * once, however many failures it reports (an agent failure and Twilio's stream error, or a
	 * callback replayed): the breaker opens on failing calls, not on messages about one.
	 */
	void failure(String callSid) {
		if (callSid != null && this.state.increment(COUNTED + callSid, this.settings.window()) > 1) {
			log.debug("[Routing] a further failure of callSid={} is not counted again", callSid);
			return;
		}
		// the counter's window starts at the first failure of a run; a success deletes it
		long failures = this.state.increment(FAILURES, this.settings.window());
		if (failures >= this.settings.failures()) {
			boolean wasOpen = this.state.get(OPEN).isPresent();
			this.state.put(OPEN, Long.toString(this.clock.millis()), this.settings.maxOpen());
			if (!wasOpen) {
				log.warn("[Routing] stream breaker OPEN after {} stream failures within {}: new calls start in "
						+ "traditional mode, one in {} still tries the stream", failures, this.settings.window(),
						this.settings.trialEvery());
			}
		}
	}

	/** A stream started: the run of failures is over and an open breaker closes. */
	void success() {
		this.state.delete(FAILURES);
		if (this.state.delete(OPEN)) {
			this.state.delete(TRIALS);
			log.info("[Routing] stream breaker closed: a stream started");
		}
	}

	/**
	 * Whether it is open. An unreachable shared state reads as closed: without it there is no
	 * evidence against the stream, and calls must still be routed.
	 */
	boolean isOpen() {
		return this.state.get(OPEN).isPresent();
	}

	/** While open: whether this new call is the one in {@code trialEvery} that tries the stream. */
	boolean trial() {
		return this.state.increment(TRIALS, this.settings.maxOpen()) % this.settings.trialEvery() == 0;
	}

	/** Stream failures in the current run. */
	long failures() {
		return this.state.get(FAILURES).map(Long::parseLong).orElse(0L);
	}

	RoutingProperties.Breaker settings() {
		return this.settings;
	}

}

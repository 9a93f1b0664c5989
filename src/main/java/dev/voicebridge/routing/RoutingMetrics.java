package dev.voicebridge.routing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Routing meters, every mode and reason registered up front so dashboards see zeros, not gaps.
 */
class RoutingMetrics {

	/**
	 * The contract's reasons, and {@code requested} for a mode the webhook URL asked for: without
	 * it a forced traditional call (an outbound test call) would look to the "upgrades not
	 * reaching the app" alert like a stream that never came.
	 */
	static final List<String> REASONS = List.of("probability", "failover", "breaker", "draining", "requested",
			"profile");

	/** The {@code kind} of a breaker failure: Twilio's stream, or the agent behind it. */
	static final String STREAM = "stream";

	static final String AGENT = "agent";

	private final Map<String, Counter> decisions = new HashMap<>();

	private final Map<String, Counter> failures = new HashMap<>();

	RoutingMetrics(MeterRegistry registry, BooleanSupplier breakerOpen) {
		for (CallMode mode : CallMode.values()) {
			for (String reason : REASONS) {
				this.decisions.put(mode.tag() + "/" + reason, Counter.builder("voicebridge.routing.decisions")
					.description("Calls routed to the stream or traditional mode, by mode and reason")
					.tag("mode", mode.tag())
					.tag("reason", reason)
					.register(registry));
			}
		}
		for (String kind : List.of(STREAM, AGENT)) {
			this.failures.put(kind, Counter.builder("voicebridge.routing.breaker.failures")
				.description("Failures the stream breaker counted: stream (Twilio's stream failed or never "
						+ "started) or agent (the upstream failed)")
				.tag("kind", kind)
				.register(registry));
		}
		Gauge.builder("voicebridge.routing.breaker.open", () -> breakerOpen.getAsBoolean() ? 1 : 0)
			.description("1 while the stream breaker is open and new calls start in traditional mode")
			.register(registry);
	}

	void failure(String kind) {
		this.failures.get(kind).increment();
	}

	void decided(Route route) {
		Counter counter = this.decisions.get(route.mode().tag() + "/" + route.reason());
		if (counter != null) {
			counter.increment();
		}
	}

}

package dev.voicebridge.traditional;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Traditional-mode turns by outcome, every series registered up front. A rising {@code failed}
 * count is callers hearing apologies: the text model is failing or slow.
 */
class TurnMetrics {

	/** How a caller turn went; the {@code outcome} tag of {@code voicebridge.traditional.turns}. */
	enum Outcome {

		/** The text model replied. */
		ANSWERED,

		/** No reply (HTTP error, timeout, malformed answer): the caller heard an apology. */
		FAILED,

		/** The caller said nothing. */
		SILENT;

		String tag() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	private final Map<Outcome, Counter> turns = new EnumMap<>(Outcome.class);

	TurnMetrics(MeterRegistry registry) {
		for (Outcome outcome : Outcome.values()) {
			this.turns.put(outcome, Counter.builder("voicebridge.traditional.turns")
				.description("Caller turns in traditional mode, by outcome")
				.tag("outcome", outcome.tag())
				.register(registry));
		}
	}

	void turn(Outcome outcome) {
		this.turns.get(outcome).increment();
	}

}

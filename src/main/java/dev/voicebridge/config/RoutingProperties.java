package dev.voicebridge.config;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How calls are split between the stream and traditional mode, and when the stream breaker opens.
 *
 * @param realtimeProbability {@code REALTIME_PROBABILITY}, the share of new calls that use the
 * stream (0.0 to 1.0); admins may change it at run time
 * @param breaker the stream breaker
 */
@Validated
@ConfigurationProperties("voicebridge.routing")
public record RoutingProperties(
		@DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("1.0") double realtimeProbability,
		@Valid @DefaultValue Breaker breaker) {

	public RoutingProperties {
		// checked here too, so the failure analyzer names REALTIME_PROBABILITY like any other setting
		if (!(realtimeProbability >= 0.0 && realtimeProbability <= 1.0)) {
			throw new InvalidSettingException("voicebridge.routing.realtime-probability",
					"must be a share of calls from 0.0 to 1.0, was " + realtimeProbability);
		}
	}

	/**
	 * After {@code failures} stream failures in a row within {@code window}, new calls start in
	 * traditional mode while one in {@code trialEvery} still tries the stream; the first stream
	 * that starts closes it.
	 *
	 * @param failures consecutive stream failures that open the breaker
	 * @param window how close together they must be
	 * @param trialEvery while open, one new call in this many still tries the stream
	 * @param maxOpen the breaker closes by itself after this long, so a lost success signal cannot
	 * keep every call off the stream for good
	 */
	public record Breaker(@Min(1) @DefaultValue("3") int failures, @NotNull @DefaultValue("5m") Duration window,
			@Min(1) @DefaultValue("10") int trialEvery, @NotNull @DefaultValue("1h") Duration maxOpen) {

	}

}

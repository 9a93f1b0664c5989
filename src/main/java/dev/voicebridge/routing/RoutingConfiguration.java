package dev.voicebridge.routing;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.voicebridge.call.CallRegistry;
import dev.voicebridge.config.RoutingProperties;
import dev.voicebridge.shared.SharedState;

/**
 * The call router, its run-time probability, its stream breaker and their meters.
 */
@Configuration(proxyBeanMethods = false)
class RoutingConfiguration {

	@Bean
	RealtimeProbability realtimeProbability(SharedState state, RoutingProperties properties) {
		return new RealtimeProbability(state, properties.realtimeProbability());
	}

	@Bean
	StreamBreaker streamBreaker(SharedState state, RoutingProperties properties, Clock clock) {
		return new StreamBreaker(state, properties.breaker(), clock);
	}

	@Bean
	CallRouter callRouter(RealtimeProbability probability, StreamBreaker breaker, CallRegistry calls, SharedState state,
			MeterRegistry registry) {
		RoutingMetrics metrics = new RoutingMetrics(registry, breaker::isOpenOrClosedWhenUnreadable);
		return new CallRouter(probability, breaker, metrics, calls, state, () -> ThreadLocalRandom.current().nextDouble());
	}

}

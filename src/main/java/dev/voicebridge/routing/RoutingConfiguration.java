package dev.voicebridge.routing;

import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
			MeterRegistry registry, ExecutorService routingRecorder) {
		RoutingMetrics metrics = new RoutingMetrics(registry, breaker::isOpen);
		return new CallRouter(probability, breaker, metrics, calls, state, () -> ThreadLocalRandom.current().nextDouble(),
				routingRecorder);
	}

	/**
	 * Writes what the call path reports (stream starts, agent failures, the breaker) to the
	 * shared state, off the threads that carry media. Two threads: a Redis that hangs holds up
	 * these records, not calls; beyond the queue, records are lost and logged.
	 */
	@Bean(destroyMethod = "shutdownNow")
	ExecutorService routingRecorder() {
		AtomicInteger count = new AtomicInteger();
		return new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(10_000), (task) -> {
			Thread thread = new Thread(task, "voicebridge-routing-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

}

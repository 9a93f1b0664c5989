package dev.voicebridge.diagnostics;

import java.time.Clock;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.OkHttpClient;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.server.WebFilter;

import dev.voicebridge.config.LimitsProperties;
import dev.voicebridge.config.StartupProperties;

/**
 * Wires the upgrade filter in front of everything else, and the operators' test WebSocket.
 */
@Configuration(proxyBeanMethods = false)
class DiagnosticsConfiguration {

	/**
	 * Operators test from wscat or a browser console: any origin, no signature, within its own
	 * limits. {@code TEST_WEBSOCKET_ENABLED=false} answers everyone but the start-up warm-up 404.
	 */
	@Bean
	SimpleUrlHandlerMapping testWebSocketMapping(LimitsProperties limits, MeterRegistry meters, SocketWarmup warmup) {
		return new SimpleUrlHandlerMapping(
				Map.of(StreamPaths.TEST, new TestWebSocketHandler(limits.testWebsocket(), meters, warmup)),
				Ordered.HIGHEST_PRECEDENCE + 1);
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "voicebridge.limits.test-websocket.enabled", havingValue = false)
	WebFilter testWebSocketSwitchedOff(SocketWarmup warmup) {
		return new TestWebSocketSwitchedOff(warmup);
	}

	@Bean
	UpgradeAttemptFilter upgradeAttemptFilter(DiagnosticsMetrics metrics, DiagnosticsJournal journal, Clock clock,
			SocketWarmup socketWarmup) {
		return new UpgradeAttemptFilter(metrics, journal, clock, socketWarmup);
	}

	/** Runs before readiness; the upstream's own OkHttp client, so its code is what gets compiled. */
	@Bean
	SocketWarmup socketWarmup(ApplicationContext context, OkHttpClient upstreamHttpClient, StartupProperties startup) {
		return new SocketWarmup(context, upstreamHttpClient, startup.warmUp());
	}

}

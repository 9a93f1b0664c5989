package dev.voicebridge.diagnostics;

import java.time.Clock;
import java.util.Map;

import okhttp3.OkHttpClient;

import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;

/**
 * Wires the upgrade filter in front of everything else, and the operators' test WebSocket.
 */
@Configuration(proxyBeanMethods = false)
class DiagnosticsConfiguration {

	/** Operators test from wscat or a browser console: any origin, no signature. */
	@Bean
	SimpleUrlHandlerMapping testWebSocketMapping() {
		return new SimpleUrlHandlerMapping(Map.of(StreamPaths.TEST, new TestWebSocketHandler()),
				Ordered.HIGHEST_PRECEDENCE + 1);
	}

	@Bean
	UpgradeAttemptFilter upgradeAttemptFilter(DiagnosticsMetrics metrics, DiagnosticsJournal journal, Clock clock,
			SocketWarmup socketWarmup) {
		return new UpgradeAttemptFilter(metrics, journal, clock, socketWarmup);
	}

	/** Runs before readiness; the upstream's own OkHttp client, so its code is what gets compiled. */
	@Bean
	SocketWarmup socketWarmup(ApplicationContext context, OkHttpClient upstreamHttpClient) {
		return new SocketWarmup(context, upstreamHttpClient);
	}

	@Bean
	static Clock clock() {
		return Clock.systemUTC();
	}

}

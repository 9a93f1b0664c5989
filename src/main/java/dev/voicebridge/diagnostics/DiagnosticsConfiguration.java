package dev.voicebridge.diagnostics;

import java.time.Clock;

import okhttp3.OkHttpClient;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * Wires the upgrade filter in front of everything else, and the operators' test WebSocket.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class DiagnosticsConfiguration implements WebSocketConfigurer {

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		// operators test from wscat or a browser console: any origin, no signature
		registry.addHandler(new TestWebSocketHandler(), StreamPaths.TEST).setAllowedOrigins("*");
	}

	@Bean
	FilterRegistrationBean<UpgradeAttemptFilter> upgradeAttemptFilter(DiagnosticsMetrics metrics,
			DiagnosticsJournal journal, Clock clock, SocketWarmup socketWarmup) {
		var registration = new FilterRegistrationBean<>(
				new UpgradeAttemptFilter(metrics, journal, clock, socketWarmup));
		registration.addUrlPatterns("/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
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

package dev.voicebridge.diagnostics;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import dev.voicebridge.config.HandshakeRejection;
import dev.voicebridge.web.TwilioRoutes;

/**
 * {@code TEST_WEBSOCKET_ENABLED=false}: {@code /test-websocket} answers 404, as a path that is
 * not there, to everyone but this process's own start-up warm-up. Behind the upgrade counter,
 * so the refusals are counted.
 */
final class TestWebSocketSwitchedOff implements WebFilter, Ordered {

	private final SocketWarmup warmup;

	TestWebSocketSwitchedOff(SocketWarmup warmup) {
		this.warmup = warmup;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!StreamPaths.TEST.equals(TwilioRoutes.pathOf(exchange.getRequest())) || this.warmup.isOwn(exchange)) {
			return chain.filter(exchange);
		}
		return HandshakeRejection.reject(exchange, HttpStatus.NOT_FOUND, "unknown_path",
				"Not Found: /test-websocket is switched off here (TEST_WEBSOCKET_ENABLED=false).");
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 35;
	}

}

package dev.voicebridge.media;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import dev.voicebridge.call.CallRegistry;
import dev.voicebridge.config.HandshakeRejection;
import dev.voicebridge.web.TwilioRoutes;

/**
 * Refuses new streams with 503 while the instance drains, so a call is never started on an
 * instance that is about to close it. Runs after the upgrade counter and the signature check,
 * so the refusal is counted and only Twilio learns of it.
 */
class DrainingHandshakeFilter implements WebFilter, Ordered {

	private final CallRegistry calls;

	DrainingHandshakeFilter(CallRegistry calls) {
		this.calls = calls;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!this.calls.isDraining() || !TwilioRoutes.MEDIA.equals(TwilioRoutes.pathOf(exchange.getRequest()))) {
			return chain.filter(exchange);
		}
		return HandshakeRejection.reject(exchange, HttpStatus.SERVICE_UNAVAILABLE, "draining",
				"Service Unavailable: this instance is shutting down; Twilio's <Connect> action serves the call.");
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 30;
	}

}

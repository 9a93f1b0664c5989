package dev.voicebridge.diagnostics;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import dev.voicebridge.web.WebhookRequest;

/** Marks the doctor's requests ({@link Doctor#AGENT}), so the webhook answers them without counting a call. */
@Component
class DoctorProbeFilter implements WebFilter {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String agent = exchange.getRequest().getHeaders().getFirst(HttpHeaders.USER_AGENT);
		if (agent != null && agent.startsWith(Doctor.AGENT)) {
			exchange.getAttributes().put(WebhookRequest.PROBE, Boolean.TRUE);
		}
		return chain.filter(exchange);
	}

}

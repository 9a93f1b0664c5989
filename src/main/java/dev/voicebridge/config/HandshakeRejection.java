package dev.voicebridge.config;

import java.nio.charset.StandardCharsets;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * How a component refuses a request before it reaches its handler: a short plain answer, and
 * an exchange attribute naming the reason, so the upgrade funnel can count it.
 */
public final class HandshakeRejection {

	/** Exchange attribute holding the reason (e.g. {@code signature}, {@code draining}). */
	public static final String ATTRIBUTE = HandshakeRejection.class.getName() + ".reason";

	private static final MediaType TEXT = new MediaType("text", "plain", StandardCharsets.UTF_8);

	private HandshakeRejection() {
	}

	public static Mono<Void> reject(ServerWebExchange exchange, HttpStatus status, String reason, String message) {
		exchange.getAttributes().put(ATTRIBUTE, reason);
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(status);
		response.getHeaders().setContentType(TEXT);
		byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
	}

}

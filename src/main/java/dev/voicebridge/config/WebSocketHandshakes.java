package dev.voicebridge.config;

import reactor.core.publisher.Mono;

import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.server.ServerWebExchange;

/**
 * The WebSocket handshake, with a hook for whoever counts upgrades: a {@link Runnable} that a
 * filter put in the exchange under {@link #ACCEPTED} runs once the upgrade succeeded, before the
 * endpoint's handler sees the session. A handshake that fails never runs it.
 */
public final class WebSocketHandshakes extends HandshakeWebSocketService {

	/** Exchange attribute: a {@link Runnable} run when the upgrade is done. */
	public static final String ACCEPTED = WebSocketHandshakes.class.getName() + ".accepted";

	/**
	 * Exchange attribute, present once the handshake was found valid and the upgrade began: the
	 * response committed from then on is the upgrade's, not an answer.
	 */
	public static final String UPGRADING = WebSocketHandshakes.class.getName() + ".upgrading";

	/** Whether an exchange's response is being committed by an upgrade. */
	public static boolean isUpgrading(ServerWebExchange exchange) {
		return exchange.getAttribute(UPGRADING) != null;
	}

	WebSocketHandshakes(RequestUpgradeStrategy upgradeStrategy) {
		super(upgradeStrategy);
	}

	@Override
	public Mono<Void> handleRequest(ServerWebExchange exchange, WebSocketHandler handler) {
		if (!(exchange.getAttribute(ACCEPTED) instanceof Runnable accepted)) {
			return super.handleRequest(exchange, handler);
		}
		return super.handleRequest(exchange, (session) -> {
			accepted.run();
			return handler.handle(session);
		});
	}

}

package dev.voicebridge.config;

import java.util.concurrent.atomic.AtomicBoolean;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
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

	private final WebSocketLimits limits;

	WebSocketHandshakes(RequestUpgradeStrategy upgradeStrategy, WebSocketLimits limits) {
		super(upgradeStrategy);
		this.limits = limits;
	}

	/**
	 * Holds a place among the open connections from the handshake to the socket's end; a
	 * handshake that finds none is refused with 503 before anything is kept for it.
	 */
	@Override
	public Mono<Void> handleRequest(ServerWebExchange exchange, WebSocketHandler handler) {
		WebSocketLimits.Reservation place = this.limits.reserve(exchange.getAttribute(WebSocketLimits.SIGNED) != null);
		if (place.refusal() != null) {
			exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
			return HandshakeRejection.reject(exchange, HttpStatus.SERVICE_UNAVAILABLE, place.refusal(),
					"Service Unavailable: " + (place.refusal().equals("capacity")
							? "all WebSocket connections (MAX_WEBSOCKET_CONNECTIONS) are in use"
							: "too many new WebSocket connections per second") + "; try again shortly.");
		}
		Runnable accepted = (exchange.getAttribute(ACCEPTED) instanceof Runnable hook) ? hook : null;
		AtomicBoolean connected = new AtomicBoolean();
		return super.handleRequest(exchange, (session) -> {
			connected.set(true);
			if (accepted != null) {
				accepted.run();
			}
			return handler.handle(session).doFinally((signal) -> place.release());
		}).doFinally((signal) -> {
			// a socket releases its place when it ends; a handshake that never became one, here
			if (!connected.get()) {
				place.release();
			}
		});
	}

}

package dev.voicebridge.diagnostics;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;

/**
 * {@code /test-websocket}: proves that an upgrade reaches the app, with nothing else involved.
 * Greets, then echoes text. A client that stops reading stops being read: the echo waits on
 * the socket, never on a thread.
 */
class TestWebSocketHandler implements WebSocketHandler {

	static final String GREETING = "{\"status\":\"connected\",\"message\":\"WebSocket is working!\"}";

	@Override
	public Mono<Void> handle(WebSocketSession session) {
		Flux<WebSocketMessage> echoes = session.receive()
			.filter((message) -> message.getType() == WebSocketMessage.Type.TEXT)
			.map((message) -> new WebSocketMessage(WebSocketMessage.Type.TEXT, message.retain().getPayload()));
		return session.send(Flux.concat(Mono.fromSupplier(() -> session.textMessage(GREETING)), echoes));
	}

}

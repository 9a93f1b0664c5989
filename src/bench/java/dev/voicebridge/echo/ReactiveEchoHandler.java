package dev.voicebridge.echo;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;

/**
 * WebFlux's echo: greets, then sends every text message back. The payload is read as a string,
 * as the service reads Twilio's JSON, rather than passing the buffer through.
 */
final class ReactiveEchoHandler implements WebSocketHandler {

	@Override
	public Mono<Void> handle(WebSocketSession session) {
		Flux<WebSocketMessage> echoes = session.receive()
			.filter((message) -> message.getType() == WebSocketMessage.Type.TEXT)
			.map((message) -> session.textMessage(message.getPayloadAsText()));
		return session.send(Flux.concat(Mono.fromSupplier(() -> session.textMessage(EchoApplications.GREETING)),
				echoes));
	}

}

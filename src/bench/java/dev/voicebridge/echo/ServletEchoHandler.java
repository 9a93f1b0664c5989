package dev.voicebridge.echo;

import java.io.IOException;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The servlet stack's echo: the service's {@code TestWebSocketHandler} (greets, then sends every
 * text message back), sending as {@link SendMode} says.
 */
final class ServletEchoHandler extends TextWebSocketHandler {

	private static final String SENDER = AsyncTextSender.class.getName();

	private final SendMode mode;

	ServletEchoHandler(SendMode mode) {
		this.mode = mode;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) throws IOException {
		if (this.mode == SendMode.ASYNC) {
			jakarta.websocket.Session jakarta = ((NativeWebSocketSession) session)
				.getNativeSession(jakarta.websocket.Session.class);
			session.getAttributes().put(SENDER, new AsyncTextSender(jakarta));
		}
		send(session, EchoApplications.GREETING);
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
		send(session, message.getPayload());
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		session.getAttributes().remove(SENDER);
	}

	private void send(WebSocketSession session, String text) throws IOException {
		if (this.mode == SendMode.BLOCKING) {
			session.sendMessage(new TextMessage(text));
		}
		else {
			((AsyncTextSender) session.getAttributes().get(SENDER)).send(text);
		}
	}

}

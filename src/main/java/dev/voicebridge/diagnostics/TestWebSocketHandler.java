package dev.voicebridge.diagnostics;

import java.io.IOException;

import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * {@code /test-websocket}: proves that an upgrade reaches the app, with nothing else involved.
 * Greets, then echoes text.
 */
class TestWebSocketHandler extends TextWebSocketHandler {

	static final String GREETING = "{\"status\":\"connected\",\"message\":\"WebSocket is working!\"}";

	@Override
	public void afterConnectionEstablished(WebSocketSession session) throws IOException {
		session.sendMessage(new TextMessage(GREETING));
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
		session.sendMessage(new TextMessage(message.getPayload()));
	}

}

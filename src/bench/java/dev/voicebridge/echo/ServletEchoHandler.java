package dev.voicebridge.echo;

import java.io.IOException;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The servlet stack's echo: the service's {@code TestWebSocketHandler} (greets, then sends every
 * text message back), sending as {@link SendMode} says. Asynchronous sends use the container's
 * own API under Spring's session: Jakarta WebSocket on Tomcat, Jetty's API on Jetty.
 */
final class ServletEchoHandler extends TextWebSocketHandler {

	private static final String SENDER = TextSender.class.getName();

	private final SendMode mode;

	ServletEchoHandler(SendMode mode) {
		this.mode = mode;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) throws IOException {
		if (this.mode == SendMode.ASYNC) {
			session.getAttributes().put(SENDER, sender((NativeWebSocketSession) session));
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
			((TextSender) session.getAttributes().get(SENDER)).send(text);
		}
	}

	private static TextSender sender(NativeWebSocketSession session) {
		Object nativeSession = session.getNativeSession();
		if (nativeSession instanceof org.eclipse.jetty.websocket.api.Session jetty) {
			return new JettyTextSender(jetty);
		}
		return new JakartaTextSender((jakarta.websocket.Session) nativeSession);
	}

}

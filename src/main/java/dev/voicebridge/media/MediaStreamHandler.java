package dev.voicebridge.media;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;

import dev.voicebridge.call.CallMetrics;
import dev.voicebridge.call.CallOutcome;
import dev.voicebridge.call.CallRegistry;
import dev.voicebridge.call.CallSession;
import dev.voicebridge.config.BridgeProperties;

/**
 * Twilio's Media Streams WebSocket: one {@link CallSession} per connection. Decodes each text
 * frame and hands it to the call; anything that is not protocol is ignored or closes this
 * stream alone.
 */
@Component
class MediaStreamHandler implements WebSocketHandler {

	private static final Logger log = LoggerFactory.getLogger(MediaStreamHandler.class);

	private static final String CALL = CallSession.class.getName();

	/** Tomcat's per-session limit on a blocking send, in milliseconds. */
	static final String BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	private final CallRegistry calls;

	private final CallMetrics metrics;

	private final BridgeProperties.Media limits;

	MediaStreamHandler(CallRegistry calls, CallMetrics metrics, BridgeProperties properties) {
		this.calls = calls;
		this.metrics = metrics;
		this.limits = properties.media();
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		if (session instanceof NativeWebSocketSession nativeSession
				&& nativeSession.getNativeSession() instanceof jakarta.websocket.Session container) {
			// a caller that stops reading must not hold a send (and its thread) for Tomcat's default 20 s
			container.getUserProperties().put(BLOCKING_SEND_TIMEOUT, this.limits.sendTimeLimit().toMillis());
		}
		var serialised = new ConcurrentWebSocketSessionDecorator(session, (int) this.limits.sendTimeLimit().toMillis(),
				(int) this.limits.sendBufferLimit().toBytes());
		CallSession call = this.calls.open(session.getId(), new TwilioLine(serialised));
		session.getAttributes().put(CALL, call);
		log.info("[WebSocket] stream {} connected from {}, agent {}", session.getId(), session.getRemoteAddress(),
				call.agentName());
	}

	@Override
	public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) {
		CallSession call = (CallSession) session.getAttributes().get(CALL);
		if (call == null) {
			return;
		}
		if (message instanceof TextMessage text) {
			call.onTwilioEvent(TwilioMessageCodec.decode(text.getPayload()));
		}
		else if (message instanceof BinaryMessage) {
			this.metrics.ignored(CallMetrics.IgnoredReason.INVALID);
			log.warn("[WebSocket] binary frame on stream {}: Media Streams sends JSON text only; closing",
					session.getId());
			call.end(CallOutcome.REJECTED, CloseCodes.UNSUPPORTED_DATA, "text frames only");
		}
	}

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) {
		log.debug("[WebSocket] transport error on stream {}: {}", session.getId(), exception.toString());
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		CallSession call = (CallSession) session.getAttributes().remove(CALL);
		if (call != null) {
			call.onCallerClosed(status.getCode());
		}
	}

	@Override
	public boolean supportsPartialMessages() {
		return false;
	}

}

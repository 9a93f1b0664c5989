package dev.voicebridge.media;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Logs each stream handshake: the attempt, and whether it was accepted.
 */
@Component
class StreamHandshakeInterceptor implements HandshakeInterceptor {

	private static final Logger log = LoggerFactory.getLogger(StreamHandshakeInterceptor.class);

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) {
		log.info("[WebSocket] connection attempt {} from {}", request.getURI().getPath(), request.getRemoteAddress());
		return true;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Exception exception) {
		int status = (response instanceof ServletServerHttpResponse servlet) ? servlet.getServletResponse().getStatus() : 0;
		if (exception == null && status == 101) {
			log.info("[WebSocket] handshake accepted on {}", request.getURI().getPath());
		}
		else {
			log.warn("[WebSocket] handshake rejected on {}: status {}{}", request.getURI().getPath(), status,
					(exception != null) ? ", " + exception.getMessage() : "");
		}
	}

}

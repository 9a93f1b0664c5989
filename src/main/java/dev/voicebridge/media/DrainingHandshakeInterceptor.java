package dev.voicebridge.media;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

import dev.voicebridge.call.CallRegistry;

/**
 * Refuses new streams with 503 while the instance drains, so a call is never started on an
 * instance that is about to close it.
 */
@Component
class DrainingHandshakeInterceptor implements HandshakeInterceptor {

	private final CallRegistry calls;

	DrainingHandshakeInterceptor(CallRegistry calls) {
		this.calls = calls;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
			Map<String, Object> attributes) {
		if (!this.calls.isDraining()) {
			return true;
		}
		if (request instanceof ServletServerHttpRequest servlet) {
			servlet.getServletRequest().setAttribute(HandshakeRejection.ATTRIBUTE, "draining");
		}
		response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
		return false;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
			Exception exception) {
	}

}

package dev.voicebridge.media;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

import dev.voicebridge.twilio.TwilioRoutes;

/**
 * Registers the Media Streams endpoint.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class MediaWebSocketConfiguration implements WebSocketConfigurer {

	private final MediaStreamHandler handler;

	private final DrainingHandshakeInterceptor draining;

	MediaWebSocketConfiguration(MediaStreamHandler handler, DrainingHandshakeInterceptor draining) {
		this.handler = handler;
		this.draining = draining;
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		registry.addHandler(this.handler, TwilioRoutes.MEDIA).addInterceptors(this.draining);
	}

}

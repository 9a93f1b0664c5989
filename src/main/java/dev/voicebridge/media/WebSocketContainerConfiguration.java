package dev.voicebridge.media;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

import dev.voicebridge.config.BridgeProperties;

/**
 * Sizes the WebSocket container: a text frame larger than the configured limit closes its
 * stream with 1009, and binary frames, never part of the protocol, get almost no buffer.
 */
@Configuration(proxyBeanMethods = false)
class WebSocketContainerConfiguration {

	/** Twilio sends audio every 20 ms; a minute of nothing is a dead stream. */
	static final long MAX_IDLE_MILLIS = 60_000L;

	@Bean
	ServletServerContainerFactoryBean webSocketContainer(BridgeProperties properties) {
		var container = new ServletServerContainerFactoryBean();
		container.setMaxTextMessageBufferSize((int) properties.media().maxFrameSize().toBytes());
		container.setMaxBinaryMessageBufferSize(1024);
		container.setMaxSessionIdleTimeout(MAX_IDLE_MILLIS);
		return container;
	}

}

package dev.voicebridge.echo;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * The servlet echo on {@link EchoApplications#PATH}, registered and sized as the service
 * registers {@code /test-websocket} and sizes its container (16 KB text, 1 KB binary, 60 s idle).
 * Spring Framework 7 upgrades through the Jakarta WebSocket API on every servlet container, so
 * Tomcat and Jetty run the same Spring code and differ only below it.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class ServletEchoConfiguration implements WebSocketConfigurer {

	private final SendMode mode;

	ServletEchoConfiguration(Environment environment) {
		this.mode = SendMode.of(environment);
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		registry.addHandler(new ServletEchoHandler(this.mode), EchoApplications.PATH).setAllowedOrigins("*");
	}

	@Bean
	ServletServerContainerFactoryBean webSocketContainer() {
		var container = new ServletServerContainerFactoryBean();
		container.setMaxTextMessageBufferSize(EchoApplications.MAX_TEXT_BYTES);
		container.setMaxBinaryMessageBufferSize(1024);
		container.setMaxSessionIdleTimeout(60_000L);
		return container;
	}

}

package dev.voicebridge.echo;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.RequestUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * The servlet echo on {@link EchoApplications#PATH}, registered as the service registers
 * {@code /test-websocket}, through the upgrade strategy the server's configuration names: Spring
 * picks one from the classpath (Jetty's whenever Jetty is present), and the bench classpath holds
 * both servers.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class ServletEchoConfiguration implements WebSocketConfigurer {

	private final SendMode mode;

	private final RequestUpgradeStrategy upgrade;

	ServletEchoConfiguration(Environment environment, RequestUpgradeStrategy upgrade) {
		this.mode = SendMode.of(environment);
		this.upgrade = upgrade;
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		registry.addHandler(new ServletEchoHandler(this.mode), EchoApplications.PATH)
			.setHandshakeHandler(new DefaultHandshakeHandler(this.upgrade))
			.setAllowedOrigins("*");
	}

}

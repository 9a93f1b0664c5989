package dev.voicebridge.echo;

import java.time.Duration;

import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.server.RequestUpgradeStrategy;
import org.springframework.web.socket.server.jetty.JettyRequestUpgradeStrategy;

/**
 * Jetty, named explicitly since the bench classpath holds all three servers (Boot's Jetty
 * auto-configuration still adds its WebSocket containers and upgrade filter), with what Spring
 * uses whenever Jetty is on the classpath: Jetty's own WebSocket API, sized as the service sizes
 * Tomcat's container.
 */
@Configuration(proxyBeanMethods = false)
class JettyEchoServer {

	@Bean
	JettyServletWebServerFactory jettyServletWebServerFactory() {
		return new JettyServletWebServerFactory();
	}

	@Bean
	RequestUpgradeStrategy upgradeStrategy() {
		var upgrade = new JettyRequestUpgradeStrategy();
		upgrade.addWebSocketConfigurer((container) -> {
			container.setMaxTextMessageSize(EchoApplications.MAX_TEXT_BYTES);
			container.setMaxBinaryMessageSize(1024);
			container.setIdleTimeout(Duration.ofSeconds(60));
		});
		return upgrade;
	}

}

package dev.voicebridge.echo;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.server.RequestUpgradeStrategy;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;

/**
 * Tomcat, named explicitly since the bench classpath holds all three servers, with what Spring
 * uses on Tomcat when Jetty is absent (the service today): the Jakarta WebSocket upgrade, and the
 * container sized as the service sizes it (16 KB text, 1 KB binary, 60 s idle).
 */
@Configuration(proxyBeanMethods = false)
class TomcatEchoServer {

	@Bean
	TomcatServletWebServerFactory tomcatServletWebServerFactory() {
		return new TomcatServletWebServerFactory();
	}

	@Bean
	RequestUpgradeStrategy upgradeStrategy() {
		return new StandardWebSocketUpgradeStrategy();
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

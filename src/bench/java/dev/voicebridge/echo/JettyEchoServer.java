package dev.voicebridge.echo;

import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Jetty, named explicitly: the bench classpath holds all three servers. Boot's Jetty
 * auto-configuration still adds its WebSocket container and upgrade filter to it.
 */
@Configuration(proxyBeanMethods = false)
class JettyEchoServer {

	@Bean
	JettyServletWebServerFactory jettyServletWebServerFactory() {
		return new JettyServletWebServerFactory();
	}

}

package dev.voicebridge.echo;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Tomcat, named explicitly: the bench classpath holds all three servers. */
@Configuration(proxyBeanMethods = false)
class TomcatEchoServer {

	@Bean
	TomcatServletWebServerFactory tomcatServletWebServerFactory() {
		return new TomcatServletWebServerFactory();
	}

}

package dev.voicebridge.echo;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The echo on Reactor Netty and Spring WebFlux's WebSocket support: what the service becomes on
 * the reactive stack.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(NettyEchoServer.class)
public class NettyEchoApplication {

	public static void main(String[] args) {
		EchoApplications.run(NettyEchoApplication.class, WebApplicationType.REACTIVE, args, EchoApplications.TOMCAT,
				EchoApplications.JETTY);
	}

}

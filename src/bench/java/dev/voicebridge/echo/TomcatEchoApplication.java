package dev.voicebridge.echo;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The echo on Tomcat and Spring's servlet WebSocket support: the service's stack today.
 * {@code --echo.send=async} sends without blocking the worker.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({ TomcatEchoServer.class, ServletEchoConfiguration.class })
public class TomcatEchoApplication {

	public static void main(String[] args) {
		EchoApplications.run(TomcatEchoApplication.class, WebApplicationType.SERVLET, args, EchoApplications.JETTY,
				EchoApplications.NETTY);
	}

}

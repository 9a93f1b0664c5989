package dev.voicebridge.echo;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The echo on Jetty 12 and Spring's servlet WebSocket support: what the service becomes with
 * {@code spring-boot-starter-jetty} in place of Tomcat. {@code --echo.send=async} sends without
 * blocking the thread that read the frame.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({ JettyEchoServer.class, ServletEchoConfiguration.class })
public class JettyEchoApplication {

	public static void main(String[] args) {
		EchoApplications.run(JettyEchoApplication.class, WebApplicationType.SERVLET, args, EchoApplications.TOMCAT,
				EchoApplications.NETTY);
	}

}

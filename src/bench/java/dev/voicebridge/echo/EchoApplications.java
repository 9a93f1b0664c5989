package dev.voicebridge.echo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;

/**
 * Starts one of the echo apps the same way as the others: its own configuration file name (the
 * service's {@code application.yml} is on the bench classpath too), {@code PORT}, the service's
 * worker cap, Redis left out as the service leaves it out, and the other servers'
 * auto-configuration excluded so that the one server factory bean the app declares is the only
 * server it can start.
 */
final class EchoApplications {

	/** The path the service's own echo has, so the load generator drives all alike. */
	static final String PATH = "/test-websocket";

	/** The service's greeting on that path; the load generator skips it. */
	static final String GREETING = "{\"status\":\"connected\",\"message\":\"WebSocket is working!\"}";

	/** The service's frame limit (voicebridge.media.max-frame-size). */
	static final int MAX_TEXT_BYTES = 16 * 1024;

	static final List<String> TOMCAT = List.of(
			"org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration",
			"org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration",
			"org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatServletManagementContextAutoConfiguration",
			"org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatReactiveManagementContextAutoConfiguration",
			"org.springframework.boot.tomcat.autoconfigure.metrics.TomcatMetricsAutoConfiguration");

	static final List<String> JETTY = List.of(
			"org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration",
			"org.springframework.boot.jetty.autoconfigure.reactive.JettyReactiveWebServerAutoConfiguration",
			"org.springframework.boot.jetty.autoconfigure.actuate.web.server.JettyServletManagementContextAutoConfiguration",
			"org.springframework.boot.jetty.autoconfigure.actuate.web.server.JettyReactiveManagementContextAutoConfiguration",
			"org.springframework.boot.jetty.autoconfigure.metrics.JettyMetricsAutoConfiguration");

	static final List<String> NETTY = List.of(
			"org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration",
			"org.springframework.boot.reactor.netty.autoconfigure.actuate.web.server.NettyReactiveManagementContextAutoConfiguration");

	/** As the service's application.yml: shared state only when REDIS_URL is set, never here. */
	private static final List<String> REDIS = List.of(
			"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration");

	private EchoApplications() {
	}

	@SafeVarargs
	static void run(Class<?> application, WebApplicationType type, String[] args, List<String>... otherServers) {
		SpringApplication app = new SpringApplication(application);
		app.setWebApplicationType(type);
		List<String> excluded = new ArrayList<>(REDIS);
		for (List<String> server : otherServers) {
			excluded.addAll(server);
		}
		Map<String, Object> defaults = new HashMap<>();
		defaults.put("spring.main.banner-mode", "off");
		defaults.put("server.port", "${PORT:8080}");
		// the service's cap (application.yml); Jetty's the same, so neither spreads frames over 200
		defaults.put("server.tomcat.threads.max", "32");
		defaults.put("server.jetty.threads.max", "32");
		defaults.put("spring.autoconfigure.exclude", String.join(",", excluded));
		app.setDefaultProperties(defaults);
		// a command-line argument, since the file name must be known before any file is read
		String[] withName = new String[args.length + 1];
		withName[0] = "--spring.config.name=echo-bench";
		System.arraycopy(args, 0, withName, 1, args.length);
		app.run(withName);
	}

}

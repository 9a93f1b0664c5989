package dev.voicebridge.config;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.netty.resources.LoopResources;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.web.reactive.config.BlockingExecutionConfigurer;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;
import org.springframework.web.reactive.socket.server.WebSocketService;



/**
 * The web layer on Reactor Netty. Sockets are read and written by a few event-loop threads,
 * which must never wait; the controllers do (Redis, Twilio's REST API, the Chat Completions
 * API), so every controller method that does not return a reactive type runs on a bounded pool
 * of its own. WebSocket frames up to the media stream's limit; larger ones close with 1009.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LimitsProperties.class)
class WebConfiguration implements WebFluxConfigurer, DisposableBean {

	/** Paths that need {@code Authorization: Bearer ADMIN_TOKEN}. */
	static final String[] ADMIN_PATHS = { "/admin/**", "/calls", "/test-call-realtime", "/realtime-api-config" };

	/** Reactor Netty's own setting for its number of event loops; when given, it wins. */
	static final String IO_WORKER_COUNT_PROPERTY = "reactor.netty.ioWorkerCount";

	/** Webhooks waiting at once on Redis (2 s timeout) or Twilio before more queue. */
	static final int CONTROLLER_THREADS = 32;

	private final BridgeProperties properties;

	private final ThreadPoolTaskExecutor controllers;

	private final ObjectProvider<WebSocketLimits> limits;

	WebConfiguration(BridgeProperties properties, ObjectProvider<WebSocketLimits> limits) {
		this.properties = properties;
		this.limits = limits;
		this.controllers = controllerExecutor();
	}

	/**
	 * Event loops of this context's own, not Reactor Netty's process-wide ones, which the first
	 * context to close would shut for every other (several instances in one JVM, in tests). One
	 * per core rather than Reactor Netty's four at least: on two cores two loops cost 6 % less CPU
	 * and a third of the p99 at 100 calls (docs/benchmarks.md, "Levers").
	 */
	@Bean
	ReactorResourceFactory reactorResourceFactory() {
		ReactorResourceFactory factory = new ReactorResourceFactory();
		factory.setUseGlobalResources(false);
		int loops = eventLoops(Runtime.getRuntime().availableProcessors(),
				Integer.getInteger(IO_WORKER_COUNT_PROPERTY));
		factory.setLoopResourcesSupplier(() -> LoopResources.create("http", loops, true));
		// the server has drained and stopped before the loops go: nothing is left to wait for
		factory.setShutdownQuietPeriod(Duration.ofMillis(100));
		return factory;
	}

	/** Also in web slices, which have neither the service's clock nor, always, a meter registry. */
	@Bean
	AdminAccess adminAccess(LimitsProperties limits, ObjectProvider<Clock> clock, ObjectProvider<MeterRegistry> meters) {
		return new AdminAccess(this.properties.adminToken(), limits.adminFailures(), clock.getIfAvailable(Clock::systemUTC),
				meters.getIfAvailable(SimpleMeterRegistry::new));
	}

	@Bean
	AdminTokenFilter adminTokenFilter(AdminAccess access) {
		return new AdminTokenFilter(access, ADMIN_PATHS);
	}

	@Override
	public void configureBlockingExecution(BlockingExecutionConfigurer configurer) {
		configurer.setExecutor(this.controllers);
	}

	@Bean
	WebSocketLimits webSocketLimits(LimitsProperties limits, ObjectProvider<MeterRegistry> meters) {
		return new WebSocketLimits(limits, meters.getIfAvailable(SimpleMeterRegistry::new));
	}

	@Override
	public WebSocketService getWebSocketService() {
		int maxFrame = (int) this.properties.media().maxFrameSize().toBytes();
		return new WebSocketHandshakes(new NettyUpgrade(maxFrame), this.limits.getObject());
	}

	/** One event loop per core the JVM may use, or the number given. */
	static int eventLoops(int cores, Integer given) {
		return Math.max(1, (given != null) ? given : cores);
	}

	@Override
	public void destroy() {
		this.controllers.shutdown();
	}

	/**
	 * Threads start as requests need them and end after a minute idle; they take webhooks after
	 * the context starts closing, since draining answers them.
	 */
	private static ThreadPoolTaskExecutor controllerExecutor() {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setThreadNamePrefix("controller-");
		executor.setCorePoolSize(CONTROLLER_THREADS);
		executor.setMaxPoolSize(CONTROLLER_THREADS);
		executor.setAllowCoreThreadTimeOut(true);
		executor.setKeepAliveSeconds(60);
		executor.setAcceptTasksAfterContextClose(true);
		executor.setDaemon(true);
		executor.initialize();
		return executor;
	}

}

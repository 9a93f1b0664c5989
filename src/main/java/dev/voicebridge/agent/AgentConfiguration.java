package dev.voicebridge.agent;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.voicebridge.agent.realtime.RealtimeAgent;
import dev.voicebridge.agent.realtime.UpstreamMetrics;
import dev.voicebridge.config.OpenAiProperties;
import dev.voicebridge.config.PrivacyProperties;
import dev.voicebridge.config.StartupProperties;
import dev.voicebridge.config.Upstream;
import dev.voicebridge.profiles.Profiles;

/**
 * Chooses the agent: OpenAI Realtime when {@code OPENAI_API_KEY} is set (or the default
 * profile names a key of its own), the echo agent otherwise. Owns the one OkHttp client that every call's upstream shares.
 */
@Configuration(proxyBeanMethods = false)
class AgentConfiguration {

	private static final Logger log = LoggerFactory.getLogger(AgentConfiguration.class);

	/** Far above any call capacity: a WebSocket holds its dispatcher slot for the whole call. */
	static final int MAX_UPSTREAM_CONNECTIONS = 100_000;

	@Bean
	VoiceAgent voiceAgent(OpenAiProperties openai, Profiles profiles, OkHttpClient upstreamHttpClient,
			UpstreamMetrics upstreamMetrics, PrivacyProperties privacy) {
		Upstream upstream = profiles.defaultProfile().upstream();
		if (upstream.apiKey() == null) {
			log.info("[OpenAI] OPENAI_API_KEY is not set: calls use the echo agent (callers hear themselves)");
			return new EchoAgent();
		}
		log.info("[OpenAI] calls use the Realtime API at {} model={}", upstream.describe(), upstream.model());
		return new RealtimeAgent(upstreamHttpClient, openai, profiles, upstreamMetrics, privacy);
	}

	/** Before readiness: the first calls should not pay for compiling the agent's frame path. */
	@Bean
	ApplicationRunner voiceAgentWarmup(VoiceAgent voiceAgent, StartupProperties startup) {
		return (args) -> {
			if (startup.warmUp()) {
				voiceAgent.warmUp();
			}
		};
	}

	@Bean
	UpstreamMetrics upstreamMetrics(MeterRegistry registry) {
		return new UpstreamMetrics(registry);
	}

	@Bean
	OkHttpClient upstreamHttpClient(OpenAiProperties openai) {
		Dispatcher dispatcher = new Dispatcher();
		dispatcher.setMaxRequests(MAX_UPSTREAM_CONNECTIONS);
		dispatcher.setMaxRequestsPerHost(MAX_UPSTREAM_CONNECTIONS);
		return new OkHttpClient.Builder().dispatcher(dispatcher)
			.connectTimeout(openai.connectTimeout())
			// a quiet upstream is not a failure; and a write timeout would route every frame
			// through Okio's watchdog thread
			.readTimeout(Duration.ZERO)
			.writeTimeout(Duration.ZERO)
			.pingInterval(Duration.ofSeconds(20))
			.build();
	}

	@Bean
	DisposableBean upstreamHttpClientShutdown(OkHttpClient upstreamHttpClient) {
		return () -> {
			upstreamHttpClient.dispatcher().executorService().shutdown();
			upstreamHttpClient.connectionPool().evictAll();
		};
	}

	/**
	 * One thread for every call's timers. Cancelled tasks are removed at once: a call's 55-minute
	 * renewal timer must not keep the finished call reachable until it would have fired.
	 */
	@Bean(destroyMethod = "shutdownNow")
	ScheduledExecutorService voiceBridgeTimer() {
		ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "voicebridge-timer");
			thread.setDaemon(true);
			return thread;
		});
		timer.setRemoveOnCancelPolicy(true);
		return timer;
	}

	/**
	 * Runs a call's events that must not run on the thread that raised them: the shared timer's
	 * (a call's timers would otherwise hold up every other call's) and closes of a caller's
	 * socket, which may block on a stuck connection. Threads come and go with the work.
	 */
	@Bean(destroyMethod = "shutdownNow")
	ExecutorService callOffloadExecutor() {
		AtomicInteger count = new AtomicInteger();
		return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), (task) -> {
			Thread thread = new Thread(task, "voicebridge-call-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	/** Blocking calls to Twilio's REST API, kept off the timer thread that every call's timers share. */
	@Bean(destroyMethod = "shutdownNow")
	ExecutorService twilioRestExecutor() {
		AtomicInteger count = new AtomicInteger();
		return new ThreadPoolExecutor(0, 4, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), (task) -> {
			Thread thread = new Thread(task, "voicebridge-rest-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

}

package dev.voicebridge.config;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What every feature shares: the clock, the one OkHttp client every upstream call uses, the
 * timer thread every call's timers share, and the executors that keep blocking work off both.
 */
@Configuration(proxyBeanMethods = false)
class CoreConfiguration {

	/** Far above any call capacity: a WebSocket holds its dispatcher slot for the whole call. */
	static final int MAX_UPSTREAM_CONNECTIONS = 100_000;

	@Bean
	static Clock clock() {
		return Clock.systemUTC();
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

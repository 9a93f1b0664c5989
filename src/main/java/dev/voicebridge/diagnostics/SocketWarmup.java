package dev.voicebridge.diagnostics;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

import dev.voicebridge.twilio.TrustedProxyFilter;

/**
 * Before readiness, echoes caller-sized frames through the real WebSocket stacks over loopback, so
 * the first calls do not wait for the JIT (docs/benchmarks.md). Its own upgrade carries a key only
 * this process knows and stays out of the diagnostics.
 */
final class SocketWarmup implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(SocketWarmup.class);

	static final String HEADER = "X-Voice-Bridge-Warm-Up";

	/** Enough for C2 to compile the socket paths (Tier4 thresholds are 5,000 to 15,000 calls). */
	static final int FRAMES = 20_000;

	/** Frames in flight at once: keeps both sides' threads busy without flooding either. */
	private static final int WINDOW = 32;

	private static final long TIMEOUT_SECONDS = 20;

	private final byte[] key;

	private final ApplicationContext context;

	private final OkHttpClient client;

	private volatile int echoed = -1;

	private final boolean enabled;

	SocketWarmup(ApplicationContext context, OkHttpClient client, boolean enabled) {
		this.context = context;
		this.client = client;
		this.enabled = enabled;
		byte[] random = new byte[16];
		new SecureRandom().nextBytes(random);
		this.key = HexFormat.of().formatHex(random).getBytes(StandardCharsets.US_ASCII);
	}

	/** Whether a request is this process's own warm-up: its key, from a loopback address. */
	boolean isOwn(ServerWebExchange exchange) {
		return isOwn(exchange.getRequest().getHeaders(), TrustedProxyFilter.arrivedFrom(exchange));
	}

	/** The same, for a WebSocket session's handshake. */
	boolean isOwn(HttpHeaders headers, String from) {
		String presented = headers.getFirst(HEADER);
		return presented != null && MessageDigest.isEqual(this.key, presented.getBytes(StandardCharsets.US_ASCII))
				&& isLoopback(from);
	}

	/** Frames echoed back by the last warm-up, or -1 if none ran. */
	int echoed() {
		return this.echoed;
	}

	@Override
	public void run(ApplicationArguments args) throws InterruptedException {
		if (!this.enabled || !(this.context instanceof WebServerApplicationContext web) || web.getWebServer() == null
				|| web.getWebServer().getPort() <= 0) {
			return;
		}
		long began = System.nanoTime();
		int count = warm(web.getWebServer().getPort());
		this.echoed = count;
		long millis = (System.nanoTime() - began) / 1_000_000;
		if (count == FRAMES) {
			log.info("[Startup] warmed the WebSocket path with {} frames over loopback in {} ms", count, millis);
		}
		else {
			// not a failure: the first calls are only slower, as without a warm-up
			log.warn("[Startup] WebSocket warm-up over loopback echoed {} of {} frames in {} ms", count,
					FRAMES, millis);
		}
	}

	private int warm(int port) throws InterruptedException {
		byte[] audio = new byte[160];
		Arrays.fill(audio, (byte) 0xFF);
		String frame = "{\"event\":\"media\",\"streamSid\":\"MZ00000000000000000000000000000000\",\"media\":"
				+ "{\"payload\":\"" + Base64.getEncoder().encodeToString(audio) + "\"}}";
		Semaphore window = new Semaphore(WINDOW);
		CountDownLatch done = new CountDownLatch(1);
		AtomicInteger received = new AtomicInteger();
		Request request = new Request.Builder().url("ws://127.0.0.1:" + port + StreamPaths.TEST)
			.header(HEADER, new String(this.key, StandardCharsets.US_ASCII))
			.header("User-Agent", "voice-bridge-warm-up")
			.build();
		WebSocket socket = this.client.newWebSocket(request, new WebSocketListener() {
			@Override
			public void onMessage(WebSocket webSocket, String text) {
				if (text.startsWith("{\"event\"")) {
					window.release();
					if (received.incrementAndGet() == FRAMES) {
						done.countDown();
					}
				}
			}

			@Override
			public void onFailure(WebSocket webSocket, Throwable t, Response response) {
				log.debug("[Startup] WebSocket warm-up failed", t);
				window.release(WINDOW);
				done.countDown();
			}
		});
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
		for (int i = 0; i < FRAMES && done.getCount() > 0; i++) {
			long left = deadline - System.nanoTime();
			if (left <= 0 || !window.tryAcquire(left, TimeUnit.NANOSECONDS) || !socket.send(frame)) {
				break;
			}
		}
		done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		socket.close(1000, "warmed up");
		return received.get();
	}

	private static boolean isLoopback(String address) {
		try {
			return address != null && InetAddress.getByName(address).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

}

package dev.voicebridge.twilio;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import dev.voicebridge.shared.SharedState;
import dev.voicebridge.web.WebhookMetrics;

/**
 * A signed webhook seen again is answered as it was the first time and not acted on twice: the
 * same signature is the same request (Twilio signs the URL and every parameter), so a retry, or
 * a replay of a captured one, gets the stored answer. Remembered for the replay window on this
 * instance, and in the shared state when that is Redis, so a retry that reaches another instance
 * is recognised too. A request whose first answer was a server error is forgotten: it failed,
 * and a retry should be served anew.
 */
final class WebhookReplays {

	private static final Logger log = LoggerFactory.getLogger(WebhookReplays.class);

	/** Answers kept on this instance; beyond this many, the oldest go (a few kilobytes each). */
	static final int REMEMBERED = 5_000;

	private static final String SEEN = "webhook:seen:";

	private static final String ANSWER = "webhook:answer:";

	private final Duration window;

	private final SharedState shared;

	private final WebhookMetrics metrics;

	/** Key to the answer, or {@link Answer#PENDING} while the first request is being answered. */
	private final Map<String, Answer> local = new LinkedHashMap<>();

	/** @param shared the shared state when it is Redis (others share nothing beyond this instance), or null */
	WebhookReplays(Duration window, SharedState shared, WebhookMetrics metrics) {
		this.window = window;
		this.shared = shared;
		this.metrics = metrics;
	}

	/** Runs a request whose signature was found valid: the first time through, afterwards from memory. */
	Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain, String endpoint, String signature) {
		String key = key(exchange.getRequest().getPath().value(), signature);
		Mono<Optional<Answer>> earlier = (this.shared != null)
				? Mono.fromCallable(() -> earlier(key)).subscribeOn(Schedulers.boundedElastic())
				: Mono.fromSupplier(() -> earlier(key));
		return earlier.flatMap((answer) -> answer.isPresent() ? replay(exchange, endpoint, answer.get())
				: chain.filter(exchange.mutate().response(new Recording(exchange.getResponse(), key)).build()));
	}

	/** The earlier answer to the same request, {@link Answer#PENDING} while it runs, or empty the first time. */
	Optional<Answer> earlier(String key) {
		long now = System.nanoTime();
		synchronized (this.local) {
			Answer known = this.local.get(key);
			if (known != null && known.expires() > now) {
				return Optional.of(known);
			}
		}
		if (this.shared != null) {
			try {
				if (this.shared.increment(SEEN + key, this.window) > 1) {
					// seen by another instance: its answer, once it has stored it
					Optional<Answer> stored = this.shared.get(ANSWER + key).map(Answer::parse);
					stored.ifPresent((answer) -> keep(key, answer.expiring(now + this.window.toNanos())));
					return Optional.of(stored.orElse(Answer.PENDING));
				}
			}
			catch (RuntimeException ex) {
				// without the shared state this instance's memory is all there is: answer the request
				log.debug("[Webhook] replay check in the shared state failed: {}", ex.toString());
			}
		}
		synchronized (this.local) {
			Answer known = this.local.get(key);
			if (known != null && known.expires() > now) {
				return Optional.of(known);
			}
			keep(key, Answer.pending(now + this.window.toNanos()));
		}
		return Optional.empty();
	}

	private void keep(String key, Answer answer) {
		synchronized (this.local) {
			this.local.put(key, answer);
			while (this.local.size() > REMEMBERED) {
				this.local.remove(this.local.keySet().iterator().next());
			}
		}
	}

	private Mono<Void> replay(ServerWebExchange exchange, String endpoint, Answer answer) {
		this.metrics.request(endpoint, "replayed");
		ServerHttpResponse response = exchange.getResponse();
		if (answer.status() == 0) {
			log.info("[Webhook] {} {} arrived again while its first copy is being answered; asking to retry",
					exchange.getRequest().getMethod(), exchange.getRequest().getPath().value());
			response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
			response.getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
			return response.setComplete();
		}
		log.info("[Webhook] {} {} seen before (same signature): answered as the first time, not acted on again",
				exchange.getRequest().getMethod(), exchange.getRequest().getPath().value());
		response.setStatusCode(HttpStatusCode.valueOf(answer.status()));
		if (answer.contentType() != null) {
			response.getHeaders().setContentType(MediaType.parseMediaType(answer.contentType()));
		}
		if (answer.body().length == 0) {
			return response.setComplete();
		}
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(answer.body())));
	}

	/** The first answer to a request; a server error is forgotten, so that a retry is served anew. */
	void remember(String key, Answer answer) {
		boolean failed = answer.status() >= 500;
		if (failed) {
			synchronized (this.local) {
				this.local.remove(key);
			}
		}
		else {
			keep(key, answer);
		}
		if (this.shared == null) {
			return;
		}
		Mono.fromRunnable(() -> {
			try {
				if (failed) {
					this.shared.delete(SEEN + key);
				}
				else {
					this.shared.put(ANSWER + key, answer.serialized(), this.window);
				}
			}
			catch (RuntimeException ex) {
				log.debug("[Webhook] could not store an answer in the shared state: {}", ex.toString());
			}
		}).subscribeOn(Schedulers.boundedElastic()).subscribe();
	}

	/** The signature is a MAC over the request: a digest of it names the request without keeping it. */
	static String key(String path, String signature) {
		try {
			MessageDigest sha = MessageDigest.getInstance("SHA-256");
			return HexFormat.of().formatHex(sha.digest((path + "\n" + signature).getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
		}
	}

	/**
	 * A stored answer. {@code status} 0 is one still being produced.
	 */
	record Answer(int status, String contentType, byte[] body, long expires) {

		static final Answer PENDING = new Answer(0, null, new byte[0], Long.MAX_VALUE);

		static Answer pending(long expires) {
			return new Answer(0, null, new byte[0], expires);
		}

		Answer expiring(long at) {
			return new Answer(this.status, this.contentType, this.body, at);
		}

		/** status, a line; content type, a line; then the body as it was sent. */
		String serialized() {
			return this.status + "\n" + ((this.contentType != null) ? this.contentType : "") + "\n"
					+ new String(this.body, StandardCharsets.UTF_8);
		}

		static Answer parse(String text) {
			int first = text.indexOf('\n');
			int second = text.indexOf('\n', first + 1);
			String type = text.substring(first + 1, second);
			return new Answer(Integer.parseInt(text.substring(0, first)), type.isEmpty() ? null : type,
					text.substring(second + 1).getBytes(StandardCharsets.UTF_8), Long.MAX_VALUE);
		}

	}

	/** Keeps a copy of the answer as it is written. */
	private final class Recording extends ServerHttpResponseDecorator {

		private final String key;

		private final long expires = System.nanoTime() + WebhookReplays.this.window.toNanos();

		Recording(ServerHttpResponse delegate, String key) {
			super(delegate);
			this.key = key;
		}

		@Override
		public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
			return DataBufferUtils.join(Flux.from(body)).flatMap((joined) -> {
				byte[] bytes = new byte[joined.readableByteCount()];
				joined.read(bytes);
				DataBufferUtils.release(joined);
				remember(bytes);
				return super.writeWith(Mono.just(bufferFactory().wrap(bytes)));
			});
		}

		@Override
		public Mono<Void> setComplete() {
			if (!isCommitted()) {
				remember(new byte[0]);
			}
			return super.setComplete();
		}

		private void remember(byte[] body) {
			HttpStatusCode status = getStatusCode();
			MediaType type = getHeaders().getContentType();
			WebhookReplays.this.remember(this.key, new Answer((status != null) ? status.value() : 200,
					(type != null) ? type.toString() : null, body, this.expires));
		}

	}

}

package dev.voicebridge.twilio;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.TreeMap;

import com.twilio.security.RequestValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import dev.voicebridge.config.HandshakeRejection;
import dev.voicebridge.config.Secrets;
import dev.voicebridge.config.SignaturePolicy;
import dev.voicebridge.config.TwilioProperties;
import dev.voicebridge.config.WebSocketLimits;
import dev.voicebridge.web.PublicUrls;
import dev.voicebridge.web.TwilioRoutes;
import dev.voicebridge.web.WebhookMetrics;

/**
 * Lets only Twilio in: webhooks and the stream handshake need an {@code X-Twilio-Signature} valid
 * for the public URL Twilio used (never the internal one), else 403; without an auth token the
 * {@link SignaturePolicy} decides. It runs behind the upgrade counter, so refusals are seen.
 */
class TwilioSignatureFilter implements WebFilter, Ordered {

	private static final Logger log = LoggerFactory.getLogger(TwilioSignatureFilter.class);

	static final Map<String, String> ENDPOINTS = Map.of(TwilioRoutes.VOICE, "voice", TwilioRoutes.STREAM_STATUS,
			"stream-status", TwilioRoutes.STREAM_ACTION, "stream-action", TwilioRoutes.GATHER, "gather",
			TwilioRoutes.MEDIA, "stream");

	/**
	 * Refused while there is no token to check them: the two that spend the OpenAI key, and the
	 * status callback, whose forged stream errors would steer the routing of real calls.
	 */
	static final Set<String> UNCHECKED_REFUSED = Set.of(TwilioRoutes.MEDIA, TwilioRoutes.GATHER,
			TwilioRoutes.STREAM_STATUS);

	private final RequestValidator validator;

	private final SignaturePolicy policy;

	private final AtomicLong lastRefusalLog = new AtomicLong();

	private final PublicUrls urls;

	private final WebhookMetrics metrics;

	private final WebhookReplays replays;

	TwilioSignatureFilter(TwilioProperties twilio, SignaturePolicy policy, PublicUrls urls, WebhookMetrics metrics,
			WebhookReplays replays) {
		this.policy = policy;
		this.replays = replays;
		this.validator = policy.checks() ? new RequestValidator(twilio.authToken()) : null;
		this.urls = urls;
		this.metrics = metrics;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 20;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (this.validator == null && this.policy != SignaturePolicy.REFUSING) {
			return chain.filter(exchange);
		}
		ServerHttpRequest request = exchange.getRequest();
		String path = TwilioRoutes.pathOf(request);
		if (!ENDPOINTS.containsKey(path)) {
			return chain.filter(exchange);
		}
		if (this.validator == null) {
			return UNCHECKED_REFUSED.contains(path) ? refuseUnchecked(exchange, path) : chain.filter(exchange);
		}
		boolean stream = TwilioRoutes.MEDIA.equals(path);
		if (stream || !HttpMethod.POST.equals(request.getMethod())) {
			return check(exchange, chain, path, stream, Map.of());
		}
		return exchange.getFormData().flatMap((form) -> {
			String repeated = repeatedName(form);
			if (repeated != null) {
				// the signature covers a parameter's first value; a second one would ride along unsigned
				this.metrics.request(ENDPOINTS.get(path), "invalid");
				log.warn("[Webhook] refused {} {}: body parameter {} is repeated", request.getMethod(), path,
						Secrets.forLog(repeated, 40));
				return HandshakeRejection.reject(exchange, HttpStatus.BAD_REQUEST, "invalid",
						"Bad request: a signed request carries each parameter once (" + Secrets.forLog(repeated, 40)
								+ " is repeated).");
			}
			return check(exchange, chain, path, false, bodyParameters(form));
		});
	}

	/**
	 * Fails closed: with an OpenAI key and nothing to check a signature with, a stream or a turn
	 * would spend the key for whoever asks. Logged at most once a minute; counted every time.
	 */
	private Mono<Void> refuseUnchecked(ServerWebExchange exchange, String path) {
		boolean stream = TwilioRoutes.MEDIA.equals(path);
		if (!stream) {
			this.metrics.request(ENDPOINTS.get(path), "rejected");
		}
		long now = System.nanoTime();
		long last = this.lastRefusalLog.get();
		if ((last == 0 || now - last > TimeUnit.MINUTES.toNanos(1)) && this.lastRefusalLog.compareAndSet(last, now)) {
			log.error("[{}] refused {} with 403 (further refusals within a minute are counted, not logged): {}",
					stream ? "WebSocket" : "Webhook", path, this.policy.warning());
		}
		return HandshakeRejection.reject(exchange, HttpStatus.FORBIDDEN, "unsigned",
				"Forbidden: this service has an OpenAI key but no TWILIO_AUTH_TOKEN to check that requests come from "
						+ "Twilio; set TWILIO_AUTH_TOKEN (or TWILIO_VALIDATE_SIGNATURES=false to accept unsigned requests).");
	}

	/** The name of a body parameter given more than once, or null. */
	static String repeatedName(MultiValueMap<String, String> form) {
		for (Map.Entry<String, List<String>> entry : form.entrySet()) {
			if (entry.getValue().size() > 1) {
				return entry.getKey();
			}
		}
		return null;
	}

	private Mono<Void> check(ServerWebExchange exchange, WebFilterChain chain, String path, boolean stream,
			Map<String, String> body) {
		ServerHttpRequest request = exchange.getRequest();
		String base = this.urls.base(request);
		String query = request.getURI().getRawQuery();
		String url = stream ? PublicUrls.streamUrl(base) : base + path + ((query != null) ? "?" + query : "");
		String signature = request.getHeaders().getFirst("X-Twilio-Signature");
		if (signature != null && this.validator.validate(url, body, signature)) {
			if (stream) {
				// Twilio's own streams are never held to the rate strangers are
				exchange.getAttributes().put(WebSocketLimits.SIGNED, Boolean.TRUE);
				return chain.filter(exchange);
			}
			// a webhook seen before is answered as before
			return this.replays.filter(exchange, chain, ENDPOINTS.get(path), signature);
		}
		String problem = (signature == null) ? "no X-Twilio-Signature" : "an X-Twilio-Signature that does not match";
		if (stream) {
			log.warn("[WebSocket] rejected stream handshake with {}; checked against {} (set PUBLIC_URL to the origin "
					+ "Twilio calls if this URL is not it)", problem, url);
		}
		else {
			this.metrics.request(ENDPOINTS.get(path), "rejected");
			// the query of a GET webhook carries phone numbers: log the URL without it
			log.warn("[Webhook] rejected {} {} with {}; checked against {}{} (set PUBLIC_URL to the origin Twilio "
					+ "calls if this URL is not it)", request.getMethod(), path, problem, base + path,
					(query != null) ? "?..." : "");
		}
		return HandshakeRejection.reject(exchange, HttpStatus.FORBIDDEN, "signature",
				"Forbidden: requests to this endpoint must be signed by Twilio (X-Twilio-Signature).");
	}

	/**
	 * The form parameters of a POST body, the first value of each: Twilio signs the URL (query
	 * included) and then the body's parameters, sorted by name.
	 */
	static Map<String, String> bodyParameters(MultiValueMap<String, String> form) {
		Map<String, String> body = new TreeMap<>();
		form.forEach((name, values) -> {
			if (!values.isEmpty()) {
				body.put(name, values.get(0));
			}
		});
		return body;
	}

}

package dev.voicebridge.diagnostics;

import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import dev.voicebridge.config.ClientAddress;
import dev.voicebridge.config.HandshakeRejection;
import dev.voicebridge.config.WebSocketHandshakes;
import dev.voicebridge.twilio.TrustedProxyFilter;
import dev.voicebridge.web.TwilioRoutes;

/**
 * Sees every request to a WebSocket path, and every request anywhere that asks to upgrade,
 * before the handshake: logs the headers that decide an upgrade, counts the attempt, and once
 * the handshake is decided counts its outcome with a reason. This is what makes an upgrade that
 * a proxy broke visible: it arrives here without its {@code Upgrade} header, or not at all.
 */
class UpgradeAttemptFilter implements WebFilter, Ordered {

	private static final Logger log = LoggerFactory.getLogger(UpgradeAttemptFilter.class);

	private static final int SWITCHING_PROTOCOLS = 101;

	private final DiagnosticsMetrics metrics;

	private final DiagnosticsJournal journal;

	private final Clock clock;

	private final SocketWarmup warmup;

	UpgradeAttemptFilter(DiagnosticsMetrics metrics, DiagnosticsJournal journal, Clock clock, SocketWarmup warmup) {
		this.warmup = warmup;
		this.metrics = metrics;
		this.journal = journal;
		this.clock = clock;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		// the path as the handler mappings see it: decoded, without ;parameters
		String path = TwilioRoutes.pathOf(request);
		String pathTag = StreamPaths.tag(path);
		boolean upgradeRequested = asksToUpgrade(request.getHeaders());
		if ((StreamPaths.OTHER.equals(pathTag) && !upgradeRequested) || this.warmup.isOwn(exchange)) {
			// the start-up warm-up over loopback never crossed the edge, so it shows nothing
			return chain.filter(exchange);
		}
		HttpHeaders arrived = TrustedProxyFilter.arrivedHeaders(exchange);
		String protocol = protocol(request);
		String client = ClientAddress.of(request.getRemoteAddress());
		log.info("[Request] {} {} {} upgrade={} connection={} x-forwarded-proto={} x-forwarded-host={} "
				+ "x-forwarded-for={} seen-as={}://{} from {}", request.getMethod(), path, protocol,
				arrived.getFirst("Upgrade"), arrived.getFirst("Connection"), arrived.getFirst("X-Forwarded-Proto"),
				arrived.getFirst("X-Forwarded-Host"), arrived.getFirst("X-Forwarded-For"), request.getURI().getScheme(),
				request.getURI().getHost(), client);
		this.metrics.attempt(pathTag, upgradeRequested);
		Attempt attempt = new Attempt(exchange, path, pathTag, protocol, client, upgradeRequested);
		exchange.getAttributes().put(WebSocketHandshakes.ACCEPTED, (Runnable) () -> attempt.decided(SWITCHING_PROTOCOLS));
		// decided before the answer leaves, so whoever got it finds it counted
		exchange.getResponse().beforeCommit(() -> {
			if (!WebSocketHandshakes.isUpgrading(exchange)) {
				attempt.decided(status(exchange.getResponse().getStatusCode(), 200));
			}
			return Mono.empty();
		});
		return chain.filter(exchange)
			.doOnError((ex) -> attempt.decided((ex instanceof ResponseStatusException refused)
					? refused.getStatusCode().value() : 500));
	}

	static boolean asksToUpgrade(HttpHeaders headers) {
		String upgrade = headers.getFirst("Upgrade");
		return upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
	}

	/** The HTTP version the request arrived with, as Reactor Netty read it. */
	private static String protocol(ServerHttpRequest request) {
		Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
		return (nativeRequest instanceof HttpServerRequest netty) ? netty.version().text() : "HTTP/1.1";
	}

	private static int status(HttpStatusCode status, int otherwise) {
		return (status != null) ? status.value() : otherwise;
	}

	/** One attempt; its outcome is decided once, by the upgrade or by the answer. */
	private final class Attempt {

		private final ServerWebExchange exchange;

		private final String path;

		private final String pathTag;

		private final String protocol;

		private final String client;

		private final boolean upgradeRequested;

		private final AtomicBoolean decided = new AtomicBoolean();

		Attempt(ServerWebExchange exchange, String path, String pathTag, String protocol, String client,
				boolean upgradeRequested) {
			this.exchange = exchange;
			this.path = path;
			this.pathTag = pathTag;
			this.protocol = protocol;
			this.client = client;
			this.upgradeRequested = upgradeRequested;
		}

		void decided(int status) {
			if (!this.decided.compareAndSet(false, true)) {
				return;
			}
			String reason = reason(status);
			UpgradeAttemptFilter.this.metrics.handshake(this.pathTag, reason);
			boolean accepted = "ok".equals(reason);
			HttpHeaders headers = TrustedProxyFilter.arrivedHeaders(this.exchange);
			UpgradeAttemptFilter.this.journal.attempt(new UpgradeAttempt(UpgradeAttemptFilter.this.clock.instant(),
					this.exchange.getRequest().getMethod().name(), this.path, this.protocol, headers.getFirst("Upgrade"),
					headers.getFirst("Connection"), headers.getFirst("X-Forwarded-Proto"),
					headers.getFirst("X-Forwarded-Host"), headers.getFirst("X-Forwarded-For"), this.client,
					headers.getFirst("User-Agent"), headers.getFirst("X-Twilio-Signature") != null, status,
					accepted ? "accepted" : "rejected", reason));
			if (accepted) {
				log.info("[WebSocket] handshake accepted on {}", this.path);
			}
			else {
				log.warn("[WebSocket] handshake rejected on {}: HTTP {} ({}){}", this.path, status, reason, hint(reason));
			}
		}

		private String reason(int status) {
			if (status == SWITCHING_PROTOCOLS) {
				return "ok";
			}
			if (this.exchange.getAttribute(HandshakeRejection.ATTRIBUTE) instanceof String named
					&& DiagnosticsMetrics.REASONS.contains(named)) {
				return named;
			}
			if (StreamPaths.OTHER.equals(this.pathTag) || status == 404) {
				return "unknown_path";
			}
			if (!this.upgradeRequested) {
				return "not_upgrade";
			}
			return (status >= 500) ? "error" : "bad_handshake";
		}

	}

	private static String hint(String reason) {
		return switch (reason) {
			case "not_upgrade" -> ": the request had no Upgrade header; a proxy in front dropped it or spoke HTTP/2";
			case "unknown_path" -> ": no WebSocket endpoint here; the Stream URL path must be /twilio-media";
			case "signature" -> ": X-Twilio-Signature did not match the public URL; check PUBLIC_URL";
			case "unsigned" -> ": an OpenAI key and no TWILIO_AUTH_TOKEN to check the caller with; set it";
			case "capacity" -> ": MAX_WEBSOCKET_CONNECTIONS are open";
			case "rate" -> ": more new WebSocket handshakes per second than voicebridge.limits.handshakes-per-second";
			default -> "";
		};
	}

}

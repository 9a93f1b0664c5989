package dev.voicebridge.diagnostics;

import java.io.IOException;
import java.time.Clock;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

import dev.voicebridge.media.HandshakeRejection;

/**
 * Sees every request to a WebSocket path, and every request anywhere that asks to upgrade,
 * before the handshake: logs the headers that decide an upgrade, counts the attempt, and after
 * the handshake counts its outcome with a reason. This is what makes an upgrade that a proxy
 * broke visible: it arrives here without its {@code Upgrade} header, or not at all.
 */
class UpgradeAttemptFilter extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(UpgradeAttemptFilter.class);

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
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return StreamPaths.OTHER.equals(StreamPaths.tag(UrlPathHelper.defaultInstance.getLookupPathForRequest(request)))
				&& !asksToUpgrade(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (this.warmup.isOwn(request)) {
			// the start-up warm-up over loopback: it never crossed the edge, so it shows nothing
			chain.doFilter(request, response);
			return;
		}
		// the path as the handler mappings see it: decoded, without ;parameters
		String path = UrlPathHelper.defaultInstance.getLookupPathForRequest(request);
		String pathTag = StreamPaths.tag(path);
		boolean upgradeRequested = asksToUpgrade(request);
		log.info("[Request] {} {} {} upgrade={} connection={} x-forwarded-proto={} x-forwarded-host={} "
				+ "x-forwarded-for={} seen-as={}://{} from {}", request.getMethod(), path, request.getProtocol(),
				request.getHeader("Upgrade"), request.getHeader("Connection"), request.getHeader("X-Forwarded-Proto"),
				request.getHeader("X-Forwarded-Host"), request.getHeader("X-Forwarded-For"), request.getScheme(),
				request.getServerName(), request.getRemoteAddr());
		this.metrics.attempt(pathTag, upgradeRequested);
		try {
			chain.doFilter(request, response);
		}
		finally {
			int status = response.getStatus();
			String reason = reason(request, status, upgradeRequested, pathTag);
			this.metrics.handshake(pathTag, reason);
			boolean accepted = "ok".equals(reason);
			this.journal.attempt(new UpgradeAttempt(this.clock.instant(), request.getMethod(), path,
					request.getProtocol(), request.getHeader("Upgrade"), request.getHeader("Connection"),
					request.getHeader("X-Forwarded-Proto"), request.getHeader("X-Forwarded-Host"),
					request.getHeader("X-Forwarded-For"), request.getRemoteAddr(), request.getHeader("User-Agent"),
					request.getHeader("X-Twilio-Signature") != null, status, accepted ? "accepted" : "rejected",
					reason));
			if (accepted) {
				log.info("[WebSocket] handshake accepted on {}", path);
			}
			else {
				log.warn("[WebSocket] handshake rejected on {}: HTTP {} ({}){}", path, status, reason, hint(reason));
			}
		}
	}

	static boolean asksToUpgrade(HttpServletRequest request) {
		String upgrade = request.getHeader("Upgrade");
		return upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
	}

	private static String reason(HttpServletRequest request, int status, boolean upgradeRequested, String pathTag) {
		if (status == HttpServletResponse.SC_SWITCHING_PROTOCOLS) {
			return "ok";
		}
		if (request.getAttribute(HandshakeRejection.ATTRIBUTE) instanceof String named
				&& DiagnosticsMetrics.REASONS.contains(named)) {
			return named;
		}
		if (StreamPaths.OTHER.equals(pathTag) || status == HttpServletResponse.SC_NOT_FOUND) {
			return "unknown_path";
		}
		if (!upgradeRequested) {
			return "not_upgrade";
		}
		return (status >= 500) ? "error" : "bad_handshake";
	}

	private static String hint(String reason) {
		return switch (reason) {
			case "not_upgrade" -> ": the request had no Upgrade header; a proxy in front dropped it or spoke HTTP/2";
			case "unknown_path" -> ": no WebSocket endpoint here; the Stream URL path must be /twilio-media";
			case "signature" -> ": X-Twilio-Signature did not match the public URL; check PUBLIC_URL";
			default -> "";
		};
	}

}

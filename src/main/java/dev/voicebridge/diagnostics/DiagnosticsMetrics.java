package dev.voicebridge.diagnostics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * The upgrade funnel's meters, created once with every bounded tag value so dashboards and
 * alerts see zeros rather than absent series.
 */
@Component
class DiagnosticsMetrics {

	/** Why a handshake was refused; {@code ok} tags the accepted ones. */
	static final List<String> REASONS = List.of("ok", "signature", "unsigned", "not_upgrade", "bad_handshake",
			"unknown_path", "draining", "capacity", "rate", "error");

	private final Map<String, Counter> attempts = new HashMap<>();

	private final Map<String, Counter> handshakes = new HashMap<>();

	private final Counter streamsMissing;

	private final Counter streamStarts;

	DiagnosticsMetrics(MeterRegistry registry) {
		for (String path : StreamPaths.TAGS) {
			for (String upgrade : List.of("websocket", "missing")) {
				this.attempts.put(path + upgrade, Counter.builder("voicebridge.stream.upgrade.attempts")
					.description("HTTP requests that reached a WebSocket path, counted before the handshake; "
							+ "upgrade=missing means a proxy dropped the Upgrade header")
					.tag("path", path)
					.tag("upgrade", upgrade)
					.register(registry));
			}
			for (String reason : REASONS) {
				String outcome = "ok".equals(reason) ? "accepted" : "rejected";
				this.handshakes.put(path + reason, Counter.builder("voicebridge.stream.handshakes")
					.description("WebSocket handshakes, by outcome and the reason for a rejection")
					.tag("path", path)
					.tag("outcome", outcome)
					.tag("reason", reason)
					.register(registry));
			}
		}
		this.streamsMissing = Counter.builder("voicebridge.calls.stream.missing")
			.description("Calls handed a Stream URL whose stream did not start within the grace period")
			.register(registry);
		this.streamStarts = Counter.builder("voicebridge.stream.starts")
			.description("Media streams whose Twilio start message arrived")
			.register(registry);
	}

	void attempt(String pathTag, boolean upgradeRequested) {
		this.attempts.get(pathTag + (upgradeRequested ? "websocket" : "missing")).increment();
	}

	void handshake(String pathTag, String reason) {
		this.handshakes.get(pathTag + reason).increment();
	}

	void streamMissing() {
		this.streamsMissing.increment();
	}

	void streamStarted() {
		this.streamStarts.increment();
	}

}

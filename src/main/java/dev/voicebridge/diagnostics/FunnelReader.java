package dev.voicebridge.diagnostics;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;

import org.springframework.stereotype.Component;

import dev.voicebridge.web.TwilioRoutes;


/**
 * Reads the funnel from the meters themselves, so the status page and Prometheus can never
 * disagree. Runs only when someone asks for the status.
 */
@Component
class FunnelReader {

	private final MeterRegistry registry;

	FunnelReader(MeterRegistry registry) {
		this.registry = registry;
	}

	FunnelSnapshot read() {
		Map<String, Long> rejected = new LinkedHashMap<>();
		for (String reason : DiagnosticsMetrics.REASONS) {
			if (!"ok".equals(reason)) {
				long count = sum(media("voicebridge.stream.handshakes").tag("reason", reason));
				if (count > 0) {
					rejected.put(reason, count);
				}
			}
		}
		Map<String, Long> upstreamFailed = new LinkedHashMap<>();
		for (String outcome : new String[] { "rejected", "timeout", "error" }) {
			long count = sum(this.registry.find("voicebridge.upstream.connects").tag("outcome", outcome));
			if (count > 0) {
				upstreamFailed.put(outcome, count);
			}
		}
		return new FunnelSnapshot(
				sum(this.registry.find("voicebridge.webhook.requests").tag("endpoint", "voice").tag("outcome", "answered")),
				sum(media("voicebridge.stream.upgrade.attempts").tag("upgrade", "websocket")),
				sum(media("voicebridge.stream.upgrade.attempts").tag("upgrade", "missing")),
				sum(media("voicebridge.stream.handshakes").tag("outcome", "accepted")),
				sum(media("voicebridge.stream.handshakes").tag("outcome", "rejected")),
				sum(this.registry.find("voicebridge.stream.starts")),
				sum(this.registry.find("voicebridge.calls.stream.missing")),
				sum(this.registry.find("voicebridge.upstream.connects").tag("outcome", "success")),
				upstreamFailed.values().stream().mapToLong(Long::longValue).sum(), rejected, upstreamFailed);
	}

	private Search media(String name) {
		return this.registry.find(name).tag("path", TwilioRoutes.MEDIA);
	}

	private static long sum(Search search) {
		return (long) search.counters().stream().mapToDouble(Counter::count).sum();
	}

}

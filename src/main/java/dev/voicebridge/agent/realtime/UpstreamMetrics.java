package dev.voicebridge.agent.realtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Meters for the OpenAI Realtime upstream, created once with every bounded tag value.
 */
public final class UpstreamMetrics {

	static final List<String> CONNECT_OUTCOMES = List.of("success", "rejected", "timeout", "error");

	static final List<String> DISCONNECT_REASONS = List.of("normal", "dropped", "error", "session_limit");

	private final Map<String, Counter> connects = new HashMap<>();

	private final Map<String, Counter> disconnects = new HashMap<>();

	private final Counter recoverableErrors;

	private final Counter fatalErrors;

	private final Timer connectTime;

	private final Counter invalidAudio;

	public UpstreamMetrics(MeterRegistry registry) {
		for (String outcome : CONNECT_OUTCOMES) {
			this.connects.put(outcome, Counter.builder("voicebridge.upstream.connects")
				.description("Connections to the OpenAI Realtime API, by outcome")
				.tag("outcome", outcome)
				.register(registry));
		}
		for (String reason : DISCONNECT_REASONS) {
			this.disconnects.put(reason, Counter.builder("voicebridge.upstream.disconnects")
				.description("Ends of OpenAI Realtime connections that had opened, by reason")
				.tag("reason", reason)
				.register(registry));
		}
		this.recoverableErrors = errors(registry, "recoverable");
		this.fatalErrors = errors(registry, "fatal");
		this.invalidAudio = Counter.builder("voicebridge.upstream.audio.invalid")
			.description("Agent audio deltas dropped because they were not well-formed base64")
			.register(registry);
		this.connectTime = Timer.builder("voicebridge.upstream.connect")
			.description("Time to open the OpenAI Realtime WebSocket")
			.register(registry);
	}

	private static Counter errors(MeterRegistry registry, String kind) {
		return Counter.builder("voicebridge.upstream.errors")
			.description("Error events from the OpenAI Realtime API, by kind")
			.tag("kind", kind)
			.register(registry);
	}

	void connected(Duration took) {
		this.connects.get("success").increment();
		this.connectTime.record(took);
	}

	void connectFailed(String outcome) {
		this.connects.get(outcome).increment();
	}

	void disconnected(String reason) {
		this.disconnects.get(reason).increment();
	}

	void invalidAudio() {
		this.invalidAudio.increment();
	}

	void error(boolean fatal) {
		(fatal ? this.fatalErrors : this.recoverableErrors).increment();
	}

}

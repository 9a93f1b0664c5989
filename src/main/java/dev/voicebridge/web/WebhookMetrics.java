package dev.voicebridge.web;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Meters for Twilio's HTTP callbacks, created once with every bounded tag value.
 */
@Component
public class WebhookMetrics {

	static final List<String> ENDPOINTS = List.of("voice", "stream-status", "stream-action", "gather");

	static final List<String> OUTCOMES = List.of("answered", "rejected", "invalid", "probe", "fallback", "traditional",
			"replayed");

	static final List<String> STREAM_EVENTS = List.of("stream-started", "stream-stopped", "stream-error", "other");

	private final Map<String, Counter> requests = new HashMap<>();

	private final Map<String, Counter> streamEvents = new HashMap<>();

	public WebhookMetrics(MeterRegistry registry) {
		for (String endpoint : ENDPOINTS) {
			for (String outcome : OUTCOMES) {
				this.requests.put(endpoint + "/" + outcome, Counter.builder("voicebridge.webhook.requests")
					.description("Twilio webhook requests, by endpoint and outcome")
					.tag("endpoint", endpoint)
					.tag("outcome", outcome)
					.register(registry));
			}
		}
		for (String event : STREAM_EVENTS) {
			this.streamEvents.put(event, Counter.builder("voicebridge.stream.status")
				.description("Twilio <Stream> status callbacks, by event")
				.tag("event", event)
				.register(registry));
		}
	}

	/** Counts one request; {@code endpoint} and {@code outcome} must be among the registered values. */
	public void request(String endpoint, String outcome) {
		this.requests.get(endpoint + "/" + outcome).increment();
	}

	public void streamEvent(String event) {
		this.streamEvents.getOrDefault(event, this.streamEvents.get("other")).increment();
	}

}

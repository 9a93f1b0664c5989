package dev.voicebridge.diagnostics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.voicebridge.call.StreamHandedOutEvent;
import dev.voicebridge.call.StreamStartedEvent;

/**
 * Notices a call that was handed a Stream URL but whose stream never started: the single
 * number that exposes an edge eating WebSocket upgrades.
 */
@Component
class StreamWatch {

	private static final Logger log = LoggerFactory.getLogger(StreamWatch.class);

	/** Calls watched at once; beyond this the webhook is not watched (a flood is no call). */
	static final int MAX_WATCHED = 10_000;

	private final Map<String, String> awaiting = new ConcurrentHashMap<>();

	private final DiagnosticsMetrics metrics;

	private final ScheduledExecutorService timer;

	private final DiagnosticsProperties properties;

	StreamWatch(DiagnosticsMetrics metrics, ScheduledExecutorService voiceBridgeTimer, DiagnosticsProperties properties) {
		this.metrics = metrics;
		this.timer = voiceBridgeTimer;
		this.properties = properties;
	}

	@EventListener
	void onStreamHandedOut(StreamHandedOutEvent event) {
		if (this.awaiting.size() >= MAX_WATCHED || this.awaiting.putIfAbsent(event.callSid(), event.streamUrl()) != null) {
			return;
		}
		this.timer.schedule(() -> check(event.callSid()), this.properties.streamGrace().toMillis(),
				TimeUnit.MILLISECONDS);
	}

	@EventListener
	void onStreamStarted(StreamStartedEvent event) {
		this.metrics.streamStarted();
		if (event.callSid() != null) {
			this.awaiting.remove(event.callSid());
		}
	}

	private void check(String callSid) {
		String streamUrl = this.awaiting.remove(callSid);
		if (streamUrl != null) {
			this.metrics.streamMissing();
			log.warn("[Webhook] no stream started for callSid={} within {}s of handing out {}: the WebSocket "
					+ "upgrade did not reach the app (see /websocket-status)", callSid,
					this.properties.streamGrace().toSeconds(), streamUrl);
		}
	}

	int awaitingCount() {
		return this.awaiting.size();
	}

}

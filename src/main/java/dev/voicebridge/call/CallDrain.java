package dev.voicebridge.call;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.voicebridge.config.BridgeProperties;
import dev.voicebridge.web.CloseCodes;

/**
 * Graceful shutdown for calls. Open WebSockets do not hold the web server's graceful shutdown
 * open, so when the application closes (SIGTERM) this runs first, while the server still serves:
 * readiness goes DOWN, new calls are turned away (fallback TwiML, 503 on the handshake), and
 * active calls may finish until {@code DRAIN_TIMEOUT}. Then the rest are closed with 1001 so
 * Twilio moves on to the {@code <Connect>} action. It listens for the close itself rather than
 * a lifecycle stop, which also happens when a context is merely paused.
 */
@Component
class CallDrain {

	private static final Logger log = LoggerFactory.getLogger(CallDrain.class);

	private final CallRegistry calls;

	private final Duration timeout;

	private final ApplicationEventPublisher events;

	CallDrain(CallRegistry calls, BridgeProperties properties, ApplicationEventPublisher events) {
		this.calls = calls;
		this.timeout = properties.drainTimeout();
		this.events = events;
	}

	/**
	 * SIGTERM is how platforms stop us: a deliberate stop, which drains (the shutdown hook closes
	 * the context) and then exits 0 rather than 143, so it never reads as a crash.
	 */
	@EventListener(ApplicationReadyEvent.class)
	void exitCleanlyOnTerm() {
		Signal.handle(new Signal("TERM"), (signal) -> System.exit(0));
	}

	@EventListener(ContextClosedEvent.class)
	void drain() {
		AvailabilityChangeEvent.publish(this.events, this, ReadinessState.REFUSING_TRAFFIC);
		int active = this.calls.startDraining();
		log.info("[Drain] shutting down: {} active call(s) may finish within {}s; new calls get the fallback", active,
				this.timeout.toSeconds());
		boolean idle = this.calls.awaitIdle(this.timeout);
		if (!idle) {
			for (CallSession call : this.calls.active()) {
				call.end(CallOutcome.DRAINED, CloseCodes.GOING_AWAY, "instance shutting down");
			}
		}
		log.info("[Drain] done: {}", idle ? "every call ended by itself" : "remaining calls closed with 1001");
	}

}

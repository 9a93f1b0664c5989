package dev.voicebridge.routing;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;

import dev.voicebridge.call.CallRegistry;
import dev.voicebridge.call.StreamStartedEvent;
import dev.voicebridge.shared.SharedState;
import dev.voicebridge.twilio.StreamErrorEvent;
import dev.voicebridge.twilio.StreamHandedOutEvent;

/**
 * Decides each call's mode: the stream for a share of calls ({@code REALTIME_PROBABILITY}),
 * traditional mode for the rest, for every call while the stream breaker is open (but one in N)
 * and while this instance drains; and traditional mode for a call whose stream failed. What each
 * call's stream did is kept in the shared state, since Twilio's callbacks for one call may reach
 * different instances.
 */
public class CallRouter {

	private static final Logger log = LoggerFactory.getLogger(CallRouter.class);

	static final String STREAM_PREFIX = "routing:stream:";

	private static final String HANDED_OUT = "handed-out";

	private static final String STARTED = "started";

	private static final String FAILED = "failed";

	/** Longer than any call: the Connect action arrives when the stream ends. */
	static final Duration CALL_MEMORY = Duration.ofHours(6);

	private final RealtimeProbability probability;

	private final StreamBreaker breaker;

	private final RoutingMetrics metrics;

	private final CallRegistry calls;

	private final SharedState state;

	private final DoubleSupplier random;

	CallRouter(RealtimeProbability probability, StreamBreaker breaker, RoutingMetrics metrics, CallRegistry calls,
			SharedState state, DoubleSupplier random) {
		this.probability = probability;
		this.breaker = breaker;
		this.metrics = metrics;
		this.calls = calls;
		this.state = state;
		this.random = random;
	}

	/**
	 * The mode of a new call. {@code requested} is the webhook's {@code mode} parameter
	 * ({@code stream} or {@code traditional}), which wins over chance and the breaker; a draining
	 * instance starts no stream whatever was asked.
	 */
	public Route route(String requested) {
		if (this.calls.isDraining()) {
			return counted(new Route(CallMode.TRADITIONAL, "draining"));
		}
		Optional<CallMode> forced = CallMode.parse(requested);
		if (forced.isPresent()) {
			return counted(new Route(forced.get(), "requested"));
		}
		if (this.random.getAsDouble() >= this.probability.current()) {
			return counted(new Route(CallMode.TRADITIONAL, "probability"));
		}
		if (breakerOpen()) {
			return counted(new Route(trial() ? CallMode.STREAM : CallMode.TRADITIONAL, "breaker"));
		}
		return counted(new Route(CallMode.STREAM, "probability"));
	}

	/**
	 * At the {@code <Connect>} action: whether the call continues in traditional mode. It does
	 * when Twilio reported the stream failed, or when a webhook handed the call a Stream URL and
	 * its stream never started (no outcome here and no start seen by any instance); the latter
	 * counts as a stream failure for the breaker. A call no webhook of ours routed keeps the
	 * fallback. {@code outcomeKnown}: this instance saw the stream end.
	 */
	public boolean failsOver(String callSid, boolean outcomeKnown) {
		if (callSid == null) {
			return false;
		}
		String stream = streamOf(callSid);
		boolean failed = FAILED.equals(stream);
		if (!failed && (outcomeKnown || !HANDED_OUT.equals(stream))) {
			return false;
		}
		if (!failed) {
			log.warn("[Routing] callSid={} reached the Connect action without its stream ever starting", callSid);
			breakerFailure();
		}
		log.info("[Routing] callSid={} continues in traditional mode (failover)", callSid);
		this.metrics.decided(new Route(CallMode.TRADITIONAL, "failover"));
		return true;
	}

	@EventListener
	void streamHandedOut(StreamHandedOutEvent event) {
		try {
			this.state.put(STREAM_PREFIX + event.callSid(), HANDED_OUT, CALL_MEMORY);
		}
		catch (RuntimeException ex) {
			log.warn("[Routing] could not record a Stream URL handed out: {}", ex.toString());
		}
	}

	@EventListener
	void streamStarted(StreamStartedEvent event) {
		try {
			if (event.callSid() != null) {
				this.state.put(STREAM_PREFIX + event.callSid(), STARTED, CALL_MEMORY);
			}
			this.breaker.success();
		}
		catch (RuntimeException ex) {
			log.warn("[Routing] could not record a stream start: {}", ex.toString());
		}
	}

	@EventListener
	void streamFailed(StreamErrorEvent event) {
		try {
			if (event.callSid() != null) {
				this.state.put(STREAM_PREFIX + event.callSid(), FAILED, CALL_MEMORY);
			}
		}
		catch (RuntimeException ex) {
			log.warn("[Routing] could not record a stream failure: {}", ex.toString());
		}
		breakerFailure();
	}

	/** What {@code /websocket-status} shows: the policy for new calls now, and the breaker. */
	public RoutingStatus status() {
		double share = this.probability.current();
		boolean open = breakerOpen();
		String mode;
		String reason;
		if (this.calls.isDraining()) {
			mode = CallMode.TRADITIONAL.tag();
			reason = "draining";
		}
		else if (share > 0 && open) {
			mode = CallMode.TRADITIONAL.tag();
			reason = "breaker";
		}
		else {
			mode = (share >= 1.0) ? CallMode.STREAM.tag() : (share <= 0.0) ? CallMode.TRADITIONAL.tag() : "mixed";
			reason = "probability";
		}
		var settings = this.breaker.settings();
		long failures;
		try {
			failures = this.breaker.failures();
		}
		catch (RuntimeException ex) {
			failures = -1;
		}
		return new RoutingStatus(mode, reason, share, this.probability.source(),
				new RoutingStatus.Breaker(open ? "open" : "closed", failures, settings.failures(),
						settings.window().toString(), settings.trialEvery()),
				this.state.kind());
	}

	boolean breakerOpen() {
		return this.breaker.isOpenOrClosedWhenUnreadable();
	}

	private boolean trial() {
		try {
			return this.breaker.trial();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private void breakerFailure() {
		try {
			this.breaker.failure();
		}
		catch (RuntimeException ex) {
			log.warn("[Routing] could not record a stream failure for the breaker: {}", ex.toString());
		}
	}

	private String streamOf(String callSid) {
		try {
			return this.state.get(STREAM_PREFIX + callSid).orElse(null);
		}
		catch (RuntimeException ex) {
			log.warn("[Routing] could not read what the stream of callSid={} did: {}", callSid, ex.toString());
			return null;
		}
	}

	private Route counted(Route route) {
		this.metrics.decided(route);
		return route;
	}

}

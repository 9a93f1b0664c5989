package dev.voicebridge.routing;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.DoubleSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;

import dev.voicebridge.call.AgentFailedEvent;
import dev.voicebridge.call.AgentReadyEvent;
import dev.voicebridge.call.CallOutcome;
import dev.voicebridge.call.CallRegistry;
import dev.voicebridge.call.StreamErrorEvent;
import dev.voicebridge.call.StreamHandedOutEvent;
import dev.voicebridge.call.StreamStartedEvent;
import dev.voicebridge.profiles.CallProfile;
import dev.voicebridge.shared.FailSoftSharedState;
import dev.voicebridge.shared.SharedState;

/**
 * Decides each call's mode: the stream for a share of calls, traditional mode while the breaker
 * is open (but for trials), while draining, and after a stream or agent failed before the caller
 * heard it. What each stream did is kept in the shared state, written off the call's threads.
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

	private final Executor recorder;

	/** What the breaker last counted as a failure on this instance: {@code stream} or {@code agent}. */
	private volatile String lastFailure;

	CallRouter(RealtimeProbability probability, StreamBreaker breaker, RoutingMetrics metrics, CallRegistry calls,
			SharedState state, DoubleSupplier random, Executor recorder) {
		this.probability = probability;
		this.breaker = breaker;
		this.metrics = metrics;
		this.calls = calls;
		this.state = FailSoftSharedState.of(state, log, "[Routing]");
		this.random = random;
		this.recorder = recorder;
	}

	/**
	 * The mode of a new call. {@code requested} is the webhook's {@code mode} parameter
	 * ({@code stream} or {@code traditional}), which wins over chance and the breaker, and over
	 * the profile's own mode; a draining instance starts no stream whatever was asked. The
	 * profile's {@code realtime-probability}, when it has one, replaces the service's.
	 */
	public Route route(String requested, CallProfile profile) {
		if (this.calls.isDraining()) {
			return counted(new Route(CallMode.TRADITIONAL, "draining"));
		}
		Optional<CallMode> forced = CallMode.parse(requested);
		if (forced.isPresent()) {
			return counted(new Route(forced.get(), "requested"));
		}
		Optional<CallMode> own = CallMode.parse(profile.mode());
		if (own.isPresent() && own.get() == CallMode.TRADITIONAL) {
			return counted(new Route(CallMode.TRADITIONAL, "profile"));
		}
		double share = (profile.realtimeProbability() != null) ? profile.realtimeProbability() : this.probability.current();
		if (own.isEmpty() && this.random.getAsDouble() >= share) {
			return counted(new Route(CallMode.TRADITIONAL, "probability"));
		}
		if (breakerOpen()) {
			return counted(new Route(trial() ? CallMode.STREAM : CallMode.TRADITIONAL, "breaker"));
		}
		return counted(new Route(CallMode.STREAM, own.isPresent() ? "profile" : "probability"));
	}

	/**
	 * At the {@code <Connect>} action: whether the call continues in traditional mode. It does
	 * when its agent failed before the caller heard it, when Twilio reported the stream failed,
	 * or when a webhook handed the call a Stream URL and its stream never started (no end here
	 * and no start seen by any instance); the latter counts as a stream failure for the
	 * breaker. A caller who has heard the agent gets the fallback instead, as does a call no
	 * webhook of ours routed. {@code end}: how the stream ended, if it ended on this instance.
	 */
	public boolean failsOver(String callSid, CallRegistry.Ended end) {
		if (callSid == null) {
			return false;
		}
		boolean agentFailed = end != null && end.outcome() == CallOutcome.AGENT_FAILED;
		if (agentFailed && end.agentHeard()) {
			return false;
		}
		if (!agentFailed) {
			String stream = streamOf(callSid);
			boolean failed = FAILED.equals(stream);
			if (!failed && (end != null || !HANDED_OUT.equals(stream))) {
				return false;
			}
			if (!failed) {
				log.warn("[Routing] callSid={} reached the Connect action without its stream ever starting", callSid);
				breakerFailure(RoutingMetrics.STREAM, callSid);
			}
		}
		log.info("[Routing] callSid={} continues in traditional mode (failover)", callSid);
		this.metrics.decided(new Route(CallMode.TRADITIONAL, "failover"));
		return true;
	}

	@EventListener
	void streamHandedOut(StreamHandedOutEvent event) {
		this.state.put(STREAM_PREFIX + event.callSid(), HANDED_OUT, CALL_MEMORY);
	}

	@EventListener
	void streamStarted(StreamStartedEvent event) {
		if (event.callSid() != null) {
			record(() -> this.state.put(STREAM_PREFIX + event.callSid(), STARTED, CALL_MEMORY), "a stream start");
		}
	}

	@EventListener
	void agentReady(AgentReadyEvent event) {
		record(this.breaker::success, "a working call for the breaker");
	}

	@EventListener
	void agentFailed(AgentFailedEvent event) {
		record(() -> {
			if (event.callSid() != null && !event.agentHeard()) {
				// another instance may get the Connect action: it must fail over too
				this.state.put(STREAM_PREFIX + event.callSid(), FAILED, CALL_MEMORY);
			}
		}, "an agent failure");
		breakerFailure(RoutingMetrics.AGENT, event.callSid());
	}

	@EventListener
	void streamFailed(StreamErrorEvent event) {
		if (event.callSid() != null) {
			this.state.put(STREAM_PREFIX + event.callSid(), FAILED, CALL_MEMORY);
		}
		breakerFailure(RoutingMetrics.STREAM, event.callSid());
	}

	/** Writes a record of the call path off its thread; a full queue loses the record, not audio. */
	private void record(Runnable write, String what) {
		try {
			this.recorder.execute(write);
		}
		catch (RejectedExecutionException ex) {
			log.warn("[Routing] could not record {}: too many records waiting for the shared state", what);
		}
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
		long failures = this.breaker.failures();
		return new RoutingStatus(mode, reason, share, this.probability.source(),
				new RoutingStatus.Breaker(open ? "open" : "closed", failures, settings.failures(),
						settings.window().toString(), settings.trialEvery(), this.lastFailure),
				this.state.kind());
	}

	boolean breakerOpen() {
		return this.breaker.isOpen();
	}

	private boolean trial() {
		return this.breaker.trial();
	}

	/** Counts a failure for the breaker: {@code kind} is {@code stream} or {@code agent}. */
	private void breakerFailure(String kind, String callSid) {
		this.lastFailure = kind;
		this.metrics.failure(kind);
		record(() -> this.breaker.failure(callSid), "a " + kind + " failure for the breaker");
	}

	private String streamOf(String callSid) {
		return this.state.get(STREAM_PREFIX + callSid).orElse(null);
	}

	private Route counted(Route route) {
		this.metrics.decided(route);
		return route;
	}

}

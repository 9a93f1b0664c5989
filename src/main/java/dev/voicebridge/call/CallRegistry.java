package dev.voicebridge.call;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import dev.voicebridge.agent.VoiceAgent;
import dev.voicebridge.config.BridgeProperties;
import dev.voicebridge.config.CallInsightProperties;
import dev.voicebridge.config.LimitsProperties;
import dev.voicebridge.config.PrivacyProperties;
import dev.voicebridge.profiles.CallProfile;
import dev.voicebridge.profiles.Profiles;

/**
 * Owns the calls in progress, one {@link CallSession} each, and remembers how recent calls
 * ended so that Twilio's {@code <Connect>} action can tell a caller what comes next.
 */
@Component
public class CallRegistry {

	/** Ended calls remembered for the Connect action (outcome, transfer); Twilio asks within seconds. */
	static final int REMEMBERED_OUTCOMES = 10_000;

	private final Map<String, CallSession> active = new ConcurrentHashMap<>();

	private final Map<String, Ended> recentOutcomes = new LinkedHashMap<>(256, 0.75f, false) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Ended> eldest) {
			return size() > REMEMBERED_OUTCOMES;
		}

	};

	private final VoiceAgent agent;

	private final CallMetrics metrics;

	private final ApplicationEventPublisher events;

	private volatile boolean draining;

	private final ScheduledExecutorService timer;

	private final CallSettings settings;

	public CallRegistry(VoiceAgent agent, CallMetrics metrics, BridgeProperties properties, MeterRegistry meters,
			ApplicationEventPublisher events, CallControl control, Profiles profiles,
			ScheduledExecutorService voiceBridgeTimer, Executor twilioRestExecutor, Executor callOffloadExecutor,
			PrivacyProperties privacy, CallInsightProperties insight, CallRecordSink records, StreamAdmission admission,
			LimitsProperties limits) {
		this.timer = voiceBridgeTimer;
		this.agent = agent;
		this.metrics = metrics;
		this.events = events;
		this.settings = new CallSettings(control, profiles, twilioRestExecutor,
				callOffloadExecutor, privacy, properties.media().preSessionBuffer(), insight, new CallPrices(insight), records,
				admission, limits.startTimeout());
		Gauge.builder("voicebridge.calls.active", this.active, Map::size)
			.description("Calls in progress on this instance")
			.register(meters);
	}

	/** Opens a call for a caller stream that has just connected and starts its agent. */
	public CallSession open(String id, CallerLine line) {
		CallSession session = new CallSession(id, line, this.agent, this.metrics, this,
				new CallLoop(this.timer, this.settings.offload()), this.settings);
		this.active.put(id, session);
		session.open();
		return session;
	}

	void started(CallSession session) {
		this.events.publishEvent(new StreamStartedEvent(session.callSid(), session.streamSid()));
	}

	void agentReady(CallSession session) {
		this.events.publishEvent(new AgentReadyEvent(session.callSid()));
	}

	void ended(CallSession session, CallOutcome outcome, boolean agentHeard, String transferTo) {
		this.active.remove(session.id(), session);
		synchronized (this.active) {
			this.active.notifyAll();
		}
		String callSid = session.callSid();
		if (callSid != null) {
			synchronized (this.recentOutcomes) {
				this.recentOutcomes.put(callSid, new Ended(outcome, agentHeard, transferTo, session.profile()));
			}
		}
		if (outcome == CallOutcome.AGENT_FAILED) {
			this.events.publishEvent(new AgentFailedEvent(callSid, agentHeard));
		}
	}

	/** Where a call is to be transferred, if its agent asked for that and REST could not do it. */
	public Optional<String> transferFor(String callSid) {
		return endOf(callSid).map(Ended::transferTo);
	}

	/** How a call's stream ended, if it ended on this instance recently. */
	public Optional<CallOutcome> outcomeOf(String callSid) {
		return endOf(callSid).map(Ended::outcome);
	}

	/** How a call's stream ended and whether its caller had heard the agent, if it ended here recently. */
	public Optional<Ended> endOf(String callSid) {
		synchronized (this.recentOutcomes) {
			return Optional.ofNullable(this.recentOutcomes.get(callSid));
		}
	}

	/**
	 * How a stream ended. {@code agentHeard}: agent audio had been sent to the caller;
	 * {@code transferTo}: the number the Connect action dials, when the agent transferred the
	 * call and REST could not, else null; {@code profile}: the call's, or null if it never started.
	 */
	public record Ended(CallOutcome outcome, boolean agentHeard, String transferTo, CallProfile profile) {

		public Ended(CallOutcome outcome, boolean agentHeard) {
			this(outcome, agentHeard, null, null);
		}

	}

	/** Whether the instance is shutting down: new calls must not start a stream here. */
	public boolean isDraining() {
		return this.draining;
	}

	/** Turns new calls away from now on; returns the number of calls still in progress. */
	int startDraining() {
		this.draining = true;
		return this.active.size();
	}

	/** Waits until no call is in progress, at most {@code timeout}; true when idle. */
	boolean awaitIdle(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.active) {
			while (!this.active.isEmpty()) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				try {
					this.active.wait(Math.max(1, left / 1_000_000));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return this.active.isEmpty();
				}
			}
			return true;
		}
	}

	public Collection<CallSession> active() {
		return List.copyOf(this.active.values());
	}

	public int activeCount() {
		return this.active.size();
	}

	/** The agent every call uses. */
	public String agentName() {
		return this.agent.name();
	}

}

package dev.voicebridge.call;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.voicebridge.agent.AgentListener;
import dev.voicebridge.agent.AgentSession;
import dev.voicebridge.agent.Base64Audio;
import dev.voicebridge.agent.CallAction;
import dev.voicebridge.agent.Interruption;
import dev.voicebridge.agent.Keypad;
import dev.voicebridge.agent.SerialEvents;
import dev.voicebridge.agent.TokenUsage;
import dev.voicebridge.agent.Turn;
import dev.voicebridge.agent.VoiceAgent;
import dev.voicebridge.config.CallInsightProperties;
import dev.voicebridge.config.PrivacyProperties;
import dev.voicebridge.config.Secrets;
import dev.voicebridge.profiles.CallProfile;
import dev.voicebridge.profiles.Profiles;

/**
 * One call: the caller's stream and its agent, relayed both ways in order, with marks and barge-in;
 * it ends once, leaving the caller to the Connect action. Every event runs in the call's
 * {@link CallLoop}, one at a time, so its state has one owner and no locks.
 */
public final class CallSession implements AgentListener {

	private static final Logger log = LoggerFactory.getLogger(CallSession.class);

	/** How long an end or transfer waits for the agent's goodbye to be heard before it happens anyway. */
	static final long ACTION_GRACE_MILLIS = 10_000;

	/**
	 * How long an agent that failed before Twilio's {@code start} waits for it: the call's id
	 * comes with {@code start}, and without it the Connect action could not know what failed.
	 */
	static final Duration START_GRACE = Duration.ofSeconds(5);

	/** A keypad entry longer than this is sent as it stands: no caller types more at once. */
	static final int MAX_ENTRY_DIGITS = 32;

	private final String id;

	private final CallerLine line;

	private final VoiceAgent agent;

	private final CallMetrics metrics;

	private final CallRegistry registry;

	private final CallLoop loop;

	private final CallControl control;

	private final Profiles profiles;

	private final Executor restExecutor;

	private final Executor offload;

	private final PrivacyProperties privacy;

	private final CallSettings settings;

	private final long openedNanos = System.nanoTime();

	private final Instant openedAt = Instant.now();

	/** Keypad digits of the entry in progress; an entry is sent to the agent as one. */
	private final StringBuilder digits = new StringBuilder();

	/** Which digit a pending inter-digit timer belongs to: a later digit makes it stale. */
	private int digitGeneration;

	private int keypadEntries;

	/** Read by status pages; written in the loop only. */
	private volatile double cost;

	private volatile boolean costKnown;

	private final PlaybackClock clock = new PlaybackClock();

	private final ArrayDeque<String> heldAudio = new ArrayDeque<>();

	private final int heldAudioLimitBytes;

	/** The per-message entry, kept so handing a message to the loop allocates nothing. */
	private final Consumer<LineEvent> onTwilio = this::handleTwilio;

	private int heldAudioBytes;

	private AgentSession agentSession;

	private boolean agentReady;

	/** Why the agent failed before {@code start}: the call ends once {@code start} names it. */
	private String failedBeforeStart;

	private CallAction pendingAction;

	private long actionMark;

	private boolean actionTaken;

	private boolean endedByAgent;

	/** Where the Connect action dials: the agent transferred the call and REST could not. */
	private String transferTo;

	private boolean firstAudioSent;

	private long startedNanos;

	private long framesOut;

	private long bargeIns;

	private long invalidMessages;

	private volatile boolean ended;

	private volatile String streamSid;

	private volatile String callSid;

	/** The call's profile, known at {@code start}; null before it. */
	private volatile CallProfile profile;

	/** Tokens the call's agent used so far; replaced (never changed) at each response, for status readers. */
	private volatile TokenUsage usage = TokenUsage.NONE;

	private volatile long framesIn;

	CallSession(String id, CallerLine line, VoiceAgent agent, CallMetrics metrics, CallRegistry registry,
			CallLoop loop, CallSettings settings) {
		this.id = id;
		this.line = line;
		this.agent = agent;
		this.metrics = metrics;
		this.registry = registry;
		this.loop = loop;
		this.control = settings.control();
		this.profiles = settings.profiles();
		this.restExecutor = settings.restExecutor();
		this.offload = settings.offload();
		this.privacy = settings.privacy();
		this.settings = settings;
		this.heldAudioLimitBytes = (int) settings.heldAudioLimit().toMillis() * Base64Audio.BYTES_PER_MS;
	}

	/**
	 * Starts the agent; called once, right after the caller's socket opened. A stream that has
	 * not sent an admitted {@code start} by the start timeout is closed, its agent with it: the
	 * upstream session that opened with the socket is not kept for a stranger.
	 */
	void open() {
		this.loop.execute(this::openAgent);
		this.loop.schedule(this::startOverdue, this.settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
	}

	private void startOverdue() {
		if (this.ended || this.streamSid != null) {
			return;
		}
		this.metrics.refused("no-start");
		log.warn("[Stream] stream {} sent no start within {}; closing it and its agent", this.id,
				this.settings.startTimeout());
		finish(CallOutcome.REJECTED, 1008, "no start");
	}

	public String id() {
		return this.id;
	}

	public String callSid() {
		return this.callSid;
	}

	public String streamSid() {
		return this.streamSid;
	}

	public String agentName() {
		return this.agent.name();
	}

	/** The call's profile, or null before Twilio's {@code start}. */
	public CallProfile profile() {
		return this.profile;
	}

	/** Tokens the call's agent used so far. */
	public TokenUsage usage() {
		return this.usage;
	}

	/** The estimated cost so far from the configured prices, or null without a price for the call's model. */
	public Double estimatedCost() {
		return this.costKnown ? this.cost : null;
	}

	/** Seconds since the stream opened. */
	public long seconds() {
		return Duration.ofNanos(System.nanoTime() - this.openedNanos).toSeconds();
	}

	public boolean isEnded() {
		return this.ended;
	}

	/** The call's order, for the agent: {@link SerialEvents} over the loop. */
	private final SerialEvents events = new SerialEvents() {

		@Override
		public void execute(Runnable task) {
			CallSession.this.loop.execute(task);
		}

		@Override
		public <T> void submit(Consumer<T> handler, T value) {
			CallSession.this.loop.submit(handler, value);
		}

		@Override
		public void schedule(Runnable task, Duration delay) {
			CallSession.this.loop.schedule(task, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
		}

	};

	private void openAgent() {
		if (this.ended) {
			return;
		}
		try {
			this.agentSession = this.agent.open(this, this.events);
		}
		catch (RuntimeException ex) {
			log.warn("[Stream] the agent could not be started on {}: {}", describe(), ex.toString());
			onFailure("agent could not start: " + ex.getMessage());
		}
	}

	// ---- caller side ------------------------------------------------------------------

	/** One decoded message from Twilio, from the web server's thread. */
	public void onTwilioEvent(LineEvent event) {
		this.loop.submit(this.onTwilio, event);
	}

	/** The caller's socket closed; if the call had not ended yet, the caller went away. */
	public void onCallerClosed(int code) {
		this.loop.execute(() -> {
			if (!this.ended) {
				log.info("[Stream] socket closed without stop on {} (code {})", describe(), code);
			}
			finish(this.endedByAgent ? CallOutcome.COMPLETED : CallOutcome.CALLER_HUNG_UP, 1000, "caller closed");
		});
	}

	/** Ends the call from outside (bad input, draining): in the call's order. */
	public void end(CallOutcome outcome, int closeCode, String reason) {
		this.loop.execute(() -> finish(outcome, closeCode, reason));
	}

	private void handleTwilio(LineEvent event) {
		if (this.ended) {
			return;
		}
		if (event instanceof LineEvent.Media media) {
			onCallerAudio(media);
		}
		else if (event instanceof LineEvent.Mark mark) {
			if (sameStream(mark.streamSid())) {
				this.clock.played(mark.name());
				if (this.actionMark != 0 && this.clock.hasPlayed(this.actionMark)) {
					takeAction();
				}
			}
		}
		else if (event instanceof LineEvent.Start start) {
			onStart(start);
		}
		else if (event instanceof LineEvent.Stop stop) {
			if (sameStream(stop.streamSid())) {
				finish(this.endedByAgent ? CallOutcome.COMPLETED : CallOutcome.CALLER_HUNG_UP, 1000, "stream stopped");
			}
		}
		else if (event instanceof LineEvent.Dtmf dtmf) {
			if (this.streamSid != null && sameStream(dtmf.streamSid())) {
				onDigit(dtmf.digit());
			}
		}
		else if (event instanceof LineEvent.Connected connected) {
			log.debug("[Stream] connected protocol={} version={}", connected.protocol(), connected.version());
		}
		else if (event instanceof LineEvent.Unknown unknown) {
			this.metrics.ignored(CallMetrics.IgnoredReason.UNKNOWN_EVENT);
			log.debug("[Stream] ignored unknown event {}", unknown.event());
		}
		else if (event instanceof LineEvent.Invalid invalid) {
			this.metrics.ignored(CallMetrics.IgnoredReason.INVALID);
			// one WARN per call: a peer sending garbage at 50 frames a second must not flood the log
			if (this.invalidMessages++ == 0) {
				log.warn("[Stream] ignored invalid message on {}: {} (further ones are counted in "
						+ "voicebridge.media.ignored and logged at DEBUG)", describe(), invalid.reason());
			}
			else {
				log.debug("[Stream] ignored invalid message on {}: {}", describe(), invalid.reason());
			}
		}
	}

	private void onStart(LineEvent.Start start) {
		if (this.streamSid != null) {
			this.metrics.ignored(CallMetrics.IgnoredReason.INVALID);
			log.warn("[Stream] ignored a second start on {}", describe());
			return;
		}
		String refusal = this.settings.admission().refusal(start.callSid(), start.accountSid(), start.customParameters());
		if (refusal != null) {
			// not a call a webhook of ours answered: no agent, no tool, no record for it
			this.metrics.refused(refusal);
			log.warn("[Stream] refused the start of stream {}: its stream token ({}) does not bind it to callSid={}; "
					+ "closing it and its agent", this.id, refusal, Secrets.forLog(start.callSid(), 64));
			finish(CallOutcome.REJECTED, 1008, "not a call of this service");
			return;
		}
		this.callSid = start.callSid();
		this.line.begin(start.streamSid());
		this.streamSid = start.streamSid();
		this.startedNanos = System.nanoTime();
		Map<String, String> parameters = start.customParameters();
		this.profile = this.profiles.forStream(parameters.get(Profiles.PROFILE_PARAMETER),
				parameters.get(Profiles.PLAN_PARAMETER));
		log.info("[Stream] started callSid={} streamSid={} agent={} profile={} format={}/{}Hz parameters={}",
				start.callSid(), start.streamSid(), this.agent.name(), this.profile.label(), start.encoding(),
				start.sampleRate(), parameters.keySet());
		this.registry.started(this);
		if (!isMulaw(start)) {
			log.warn("[Stream] stream {} carries {}/{}Hz/{}ch, not audio/x-mulaw 8000 Hz mono: the agent would hear "
					+ "noise; closing it", start.streamSid(), start.encoding(), start.sampleRate(), start.channels());
			finish(CallOutcome.REJECTED, 1003, "audio/x-mulaw 8000 Hz only");
			return;
		}
		if (this.failedBeforeStart != null) {
			finish(CallOutcome.AGENT_FAILED, 1011, "agent unavailable");
			return;
		}
		if (this.agentSession != null) {
			this.agentSession.begin(start.callSid(), this.profile, parameters);
		}
		if (this.agentReady) {
			this.registry.agentReady(this);
		}
		Duration limit = this.settings.insight().maxCallDuration();
		if (limit != null) {
			this.loop.schedule(this::timeUp, limit.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	/** The call reached {@code MAX_CALL_DURATION}: the agent says goodbye, then the call hangs up. */
	private void timeUp() {
		if (this.ended || this.pendingAction != null || this.agentSession == null) {
			return;
		}
		log.info("[Stream] callSid={} reached MAX_CALL_DURATION ({}): the agent says goodbye", this.callSid,
				this.settings.insight().maxCallDuration());
		this.agentSession.sayGoodbye(this.settings.insight().timeLimitGoodbye());
	}

	// ---- the keypad ---------------------------------------------------------------------

	/**
	 * One keypad digit. Digits typed within the inter-digit timeout of each other are one entry;
	 * {@code #} ends it at once. The digit itself is only ever logged at DEBUG (it may be a PIN).
	 */
	private void onDigit(String digit) {
		if (digit == null || digit.length() != 1 || !Keypad.isEntry(digit)) {
			this.metrics.ignored(CallMetrics.IgnoredReason.INVALID);
			return;
		}
		this.metrics.dtmf();
		log.debug("[Stream] dtmf callSid={} digit={}", this.callSid, this.privacy.digit(digit));
		if (dtmfMode() == CallInsightProperties.DtmfMode.IGNORE) {
			return;
		}
		if (digit.equals("#")) {
			if (this.digits.isEmpty()) {
				this.digits.append('#');
			}
			sendDigits();
			return;
		}
		this.digits.append(digit);
		if (this.digits.length() >= MAX_ENTRY_DIGITS) {
			sendDigits();
			return;
		}
		int generation = ++this.digitGeneration;
		this.loop.schedule(() -> {
			if (generation == this.digitGeneration) {
				sendDigits();
			}
		}, this.settings.insight().interDigitTimeout().toMillis(), TimeUnit.MILLISECONDS);
	}

	private void sendDigits() {
		this.digitGeneration++;
		if (this.ended || this.digits.isEmpty()) {
			return;
		}
		String entry = this.digits.toString();
		this.digits.setLength(0);
		this.keypadEntries++;
		log.info("[Stream] keypad entry of {} key(s) callSid={} -> agent", entry.length(), this.callSid);
		if (this.agentSession != null) {
			this.agentSession.keypad(entry);
		}
	}

	private CallInsightProperties.DtmfMode dtmfMode() {
		String own = (this.profile != null) ? this.profile.dtmf() : null;
		return (own != null) ? CallInsightProperties.DtmfMode.valueOf(own.toUpperCase(Locale.ROOT))
				: this.settings.insight().dtmf();
	}

	@Override
	public void onUsage(TokenUsage used) {
		if (this.ended) {
			return;
		}
		this.usage = this.usage.plus(used);
		this.metrics.tokens("stream", used);
		Double amount = this.settings.prices().cost((this.profile != null) ? this.profile.upstream().model() : null, used);
		if (amount != null) {
			this.cost += amount;
			this.costKnown = true;
			this.metrics.cost("stream", amount);
		}
	}

	/** Twilio's default format; a start without a format (older test peers) is taken as it. */
	private static boolean isMulaw(LineEvent.Start start) {
		return start.encoding() == null || ("audio/x-mulaw".equals(start.encoding())
				&& (start.sampleRate() == 8000 || start.sampleRate() == 0) && start.channels() <= 1);
	}

	private void onCallerAudio(LineEvent.Media media) {
		if (this.streamSid == null) {
			this.metrics.ignored(CallMetrics.IgnoredReason.BEFORE_START);
			return;
		}
		if (!sameStream(media.streamSid()) || !"inbound".equals(media.track())) {
			return;
		}
		this.framesIn++;
		this.metrics.frameIn();
		if (this.agentReady) {
			this.agentSession.appendAudio(media.payload());
		}
		else {
			hold(media.payload());
		}
	}

	/** Keeps caller audio until the agent is ready; beyond the limit the oldest goes. */
	private void hold(String payload) {
		this.heldAudio.addLast(payload);
		this.heldAudioBytes += Base64Audio.decodedLength(payload);
		while (this.heldAudioBytes > this.heldAudioLimitBytes && this.heldAudio.size() > 1) {
			this.heldAudioBytes -= Base64Audio.decodedLength(this.heldAudio.removeFirst());
			this.metrics.ignored(CallMetrics.IgnoredReason.AUDIO_OVERFLOW);
		}
	}

	private boolean sameStream(String sid) {
		if (sid == null || sid.equals(this.streamSid)) {
			return true;
		}
		this.metrics.ignored(CallMetrics.IgnoredReason.WRONG_STREAM);
		return false;
	}

	// ---- agent side: called in the loop ------------------------------------------------

	@Override
	public void onReady() {
		if (this.ended || this.agentReady) {
			return;
		}
		this.agentReady = true;
		AgentSession session = this.agentSession;
		if (session == null) {
			// an agent may be ready before open() returns (the echo agent always is): flushed then
			this.loop.execute(this::releaseHeldAudio);
		}
		else {
			releaseHeldAudio();
		}
		if (this.streamSid != null) {
			this.registry.agentReady(this);
		}
	}

	/** Sends the held caller audio in order; new audio then goes straight through. */
	private void releaseHeldAudio() {
		for (String payload : this.heldAudio) {
			this.agentSession.appendAudio(payload);
		}
		this.heldAudio.clear();
		this.heldAudioBytes = 0;
	}

	@Override
	public void onAudio(String itemId, String payload) {
		if (this.ended || this.streamSid == null) {
			return;
		}
		// one media message per delta, however long: a mark after it tells when it has played
		int bytes = Base64Audio.decodedLength(payload, 0);
		this.line.sendMedia(payload);
		this.clock.sent(itemId, bytes);
		this.framesOut++;
		this.metrics.frameOut();
		if (this.clock.roomBeforeMark() <= 0) {
			sendMark();
		}
		if (!this.firstAudioSent) {
			this.firstAudioSent = true;
			this.metrics.firstAudio(Duration.ofNanos(System.nanoTime() - this.startedNanos));
		}
	}

	/** Places the next mark after the audio sent so far. */
	private void sendMark() {
		this.line.sendMark(Long.toString(this.clock.mark()));
	}

	@Override
	public void onAudioDone() {
		if (this.ended) {
			return;
		}
		if (this.clock.hasUnmarkedAudio()) {
			sendMark();
		}
		if (this.pendingAction != null && this.actionMark == 0) {
			// the agent's goodbye is out: act once the caller has heard it
			this.actionMark = this.clock.lastMark();
			if (this.actionMark == 0 || this.clock.hasPlayed(this.actionMark)) {
				takeAction();
			}
		}
	}

	@Override
	public void onCallAction(CallAction action) {
		if (this.ended || this.pendingAction != null) {
			return;
		}
		this.pendingAction = action;
		log.info("[Stream] agent asked to {} callSid={}; waiting for its last words to be heard", verb(action),
				this.callSid);
		this.loop.schedule(this::takeAction, ACTION_GRACE_MILLIS, TimeUnit.MILLISECONDS);
	}

	/**
	 * Ends or transfers the call, once. Twilio's REST API is called off the loop; without it, or
	 * when it fails or cannot be reached, the stream ends and the Connect action does the rest.
	 */
	private void takeAction() {
		if (this.ended || this.actionTaken) {
			return;
		}
		this.actionTaken = true;
		this.endedByAgent = true;
		CallAction action = this.pendingAction;
		String sid = this.callSid;
		String transferNumber = transferNumber();
		if (!this.control.available() || sid == null) {
			endForAction(action, null);
			return;
		}
		try {
			this.restExecutor.execute(() -> {
				try {
					if (action == CallAction.TRANSFER) {
						this.control.transfer(sid, transferNumber);
					}
					else {
						this.control.hangUp(sid);
					}
					// Twilio now ends the call: its stop or close ends the stream
				}
				catch (RuntimeException ex) {
					this.loop.execute(() -> endForAction(action, ex.getMessage()));
				}
			});
		}
		catch (RejectedExecutionException ex) {
			endForAction(action, "too many REST calls in flight");
		}
	}

	/** Ends the stream for an agent's action: Twilio then asks the Connect action, which hangs up or dials. */
	private void endForAction(CallAction action, String restFailure) {
		if (restFailure != null) {
			log.warn("[Stream] could not {} callSid={} through Twilio's REST API: {}; ending the stream instead",
					verb(action), this.callSid, restFailure);
		}
		if (action == CallAction.TRANSFER) {
			this.transferTo = transferNumber();
		}
		finish(CallOutcome.COMPLETED, 1000, "agent ended the call");
	}

	/** The profile's transfer number; a call's agent is offered the tool only when it has one. */
	private String transferNumber() {
		return (this.profile != null) ? this.profile.transferNumber() : null;
	}

	private static String verb(CallAction action) {
		return action.name().toLowerCase(Locale.ROOT);
	}

	@Override
	public void onSpeechStarted() {
		if (this.ended) {
			return;
		}
		Interruption cut = this.clock.interrupt();
		if (cut != null) {
			this.bargeIns++;
			this.line.sendClear();
			this.metrics.bargeIn();
			log.info("[Stream] barge-in callSid={} item={} heard={}ms", this.callSid, cut.itemId(), cut.audioEndMs());
		}
		if (this.agentSession != null) {
			this.agentSession.interrupt(cut);
		}
	}

	@Override
	public void onFailure(String reason) {
		if (this.ended) {
			return;
		}
		log.warn("[Stream] agent failed on {}: {}", describe(), reason);
		if (this.streamSid == null) {
			// the Connect action can only serve a call it can name: wait (briefly) for start
			this.failedBeforeStart = reason;
			this.loop.schedule(() -> finish(CallOutcome.AGENT_FAILED, 1011, "agent unavailable"),
					START_GRACE.toMillis(), TimeUnit.MILLISECONDS);
			return;
		}
		finish(CallOutcome.AGENT_FAILED, 1011, "agent unavailable");
	}

	// ---- ending -----------------------------------------------------------------------

	/**
	 * Ends the call exactly once: closes the agent, records the outcome (before Twilio sees the
	 * close and asks the Connect action what next), then closes the caller's stream off the loop.
	 */
	private void finish(CallOutcome outcome, int closeCode, String reason) {
		if (this.ended) {
			return;
		}
		this.ended = true;
		this.loop.close();
		if (this.agentSession != null) {
			this.agentSession.close();
		}
		boolean agentHeard = this.framesOut > 0;
		this.registry.ended(this, outcome, agentHeard, this.transferTo);
		String profileId = (this.profile != null) ? this.profile.id() : this.profiles.defaultProfile().id();
		this.metrics.callEnded(this.agent.name(), profileId, outcome);
		this.heldAudio.clear();
		this.heldAudioBytes = 0;
		try {
			this.offload.execute(() -> this.line.close(closeCode, reason));
		}
		catch (RejectedExecutionException ex) {
			this.line.close(closeCode, reason);
		}
		long since = (this.startedNanos != 0) ? this.startedNanos : this.openedNanos;
		long durationMs = Duration.ofNanos(System.nanoTime() - since).toMillis();
		log.info("[Stream] stopped callSid={} streamSid={} profile={} outcome={} duration={}ms framesIn={} framesOut={} "
				+ "bargeIns={} tokens={}{}{}", this.callSid, this.streamSid,
				(this.profile != null) ? this.profile.label() : "-", outcome.tag(), durationMs, this.framesIn,
				this.framesOut, this.bargeIns, this.usage.total(),
				this.costKnown ? String.format(Locale.ROOT, " cost=%.4f %s", this.cost, this.settings.prices().currency())
						: "",
				(this.invalidMessages > 0) ? " invalid=" + this.invalidMessages : "");
		if (this.callSid != null) {
			this.settings.records().publish(record(outcome, durationMs));
		}
	}

	/** The call's record, built once at its end. */
	private CallRecord record(CallOutcome outcome, long durationMs) {
		CallProfile of = (this.profile != null) ? this.profile : this.profiles.defaultProfile();
		List<Turn> transcript = (this.agentSession != null) ? this.agentSession.transcript() : List.of();
		return new CallRecord(CallRecord.TYPE, this.callSid, this.streamSid, of.id(), of.plan(), "stream",
				this.agent.name(), outcome.tag(), this.openedAt, durationMs, this.framesIn, this.framesOut,
				this.bargeIns, this.keypadEntries, transcript, this.usage.byKind(),
				this.costKnown ? new CallRecord.Cost(this.cost, this.settings.prices().currency()) : null);
	}

	private String describe() {
		return (this.callSid != null) ? "callSid=" + this.callSid : "stream " + this.id;
	}

}

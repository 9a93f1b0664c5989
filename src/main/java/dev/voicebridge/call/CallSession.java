package dev.voicebridge.call;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.voicebridge.agent.AgentListener;
import dev.voicebridge.agent.AgentSession;
import dev.voicebridge.agent.CallAction;
import dev.voicebridge.agent.Interruption;
import dev.voicebridge.agent.VoiceAgent;
import dev.voicebridge.media.TwilioEvent;

/**
 * One call: pairs the caller's media stream with an agent. Relays caller audio to the agent
 * (held in order until the agent is ready), agent audio to the caller with marks as a playback
 * clock, and cuts the agent off when the caller speaks over it. Ends once, both ways.
 *
 * <p>Caller events arrive on the web server's threads, agent events on the agent's. The
 * playback state is guarded by this object's monitor (never held during I/O), the order of
 * sends to the caller by {@code sendLock}, the held audio by {@code heldAudio}'s monitor.
 */
public final class CallSession implements AgentListener {

	private static final Logger log = LoggerFactory.getLogger(CallSession.class);

	private final String id;

	private final CallerLine line;

	private final VoiceAgent agent;

	private final CallMetrics metrics;

	private final CallRegistry registry;

	private final long openedNanos = System.nanoTime();

	private final AtomicBoolean ended = new AtomicBoolean();

	private final PlaybackClock clock = new PlaybackClock();

	/**
	 * Keeps agent audio, marks and clears to the caller in order. The playback state has this
	 * object's own monitor, held only briefly and never during I/O, so a slow send to Twilio
	 * never holds up Twilio's marks or the caller's audio on the other thread.
	 */
	private final Object sendLock = new Object();

	private final ArrayDeque<String> heldAudio = new ArrayDeque<>();

	/** How long an end or transfer waits for the agent's goodbye to be heard before it happens anyway. */
	static final long ACTION_GRACE_MILLIS = 10_000;

	private final CallControl control;

	private final String transferNumber;

	private final ScheduledExecutorService timer;

	private final java.util.concurrent.Executor restExecutor;

	private final AtomicBoolean actionTaken = new AtomicBoolean();

	private CallAction pendingAction;

	private long actionMark;

	private volatile boolean endedByAgent;

	private final int heldAudioLimitBytes;

	private int heldAudioBytes;

	private boolean readyBeforeOpen;

	private volatile boolean agentReady;

	private volatile AgentSession agentSession;

	private volatile String streamSid;

	private volatile String callSid;

	private volatile long startedNanos;

	private boolean firstAudioSent;

	private volatile long framesIn;

	private long framesOut;

	private long bargeIns;

	CallSession(String id, CallerLine line, VoiceAgent agent, CallMetrics metrics, CallRegistry registry,
			Duration heldAudioLimit, CallControl control, String transferNumber, ScheduledExecutorService timer,
			java.util.concurrent.Executor restExecutor) {
		this.restExecutor = restExecutor;
		this.control = control;
		this.transferNumber = transferNumber;
		this.timer = timer;
		this.id = id;
		this.line = line;
		this.agent = agent;
		this.metrics = metrics;
		this.registry = registry;
		this.heldAudioLimitBytes = (int) heldAudioLimit.toMillis() * Base64Audio.BYTES_PER_MS;
	}

	/** Starts the agent; called once, right after the caller's socket opened. */
	void open() {
		AgentSession session = this.agent.open(this);
		synchronized (this.heldAudio) {
			this.agentSession = session;
			if (this.readyBeforeOpen) {
				releaseHeldAudio(session);
			}
		}
		if (this.ended.get()) {
			session.close();
		}
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

	/** Seconds since the stream opened. */
	public long seconds() {
		return Duration.ofNanos(System.nanoTime() - this.openedNanos).toSeconds();
	}

	public boolean isEnded() {
		return this.ended.get();
	}

	// ---- caller side ------------------------------------------------------------------

	/** One decoded message from Twilio. */
	public void onTwilioEvent(TwilioEvent event) {
		if (event instanceof TwilioEvent.Media media) {
			onCallerAudio(media);
		}
		else if (event instanceof TwilioEvent.Mark mark) {
			if (sameStream(mark.streamSid())) {
				boolean actionDue;
				synchronized (this) {
					this.clock.played(mark.name());
					actionDue = this.actionMark != 0 && this.clock.hasPlayed(this.actionMark);
				}
				if (actionDue) {
					takeAction();
				}
			}
		}
		else if (event instanceof TwilioEvent.Start start) {
			onStart(start);
		}
		else if (event instanceof TwilioEvent.Stop stop) {
			if (sameStream(stop.streamSid())) {
				end(this.endedByAgent ? CallOutcome.COMPLETED : CallOutcome.CALLER_HUNG_UP, 1000, "stream stopped");
			}
		}
		else if (event instanceof TwilioEvent.Dtmf dtmf) {
			log.info("[Stream] dtmf callSid={} digit={}", this.callSid, dtmf.digit());
		}
		else if (event instanceof TwilioEvent.Connected connected) {
			log.debug("[Stream] connected protocol={} version={}", connected.protocol(), connected.version());
		}
		else if (event instanceof TwilioEvent.Unknown unknown) {
			this.metrics.ignored(CallMetrics.IgnoredReason.UNKNOWN_EVENT);
			log.debug("[Stream] ignored unknown event {}", unknown.event());
		}
		else if (event instanceof TwilioEvent.Invalid invalid) {
			this.metrics.ignored(CallMetrics.IgnoredReason.INVALID);
			log.warn("[Stream] ignored invalid message on {}: {}", describe(), invalid.reason());
		}
	}

	private void onStart(TwilioEvent.Start start) {
		if (this.streamSid != null) {
			this.metrics.ignored(CallMetrics.IgnoredReason.INVALID);
			log.warn("[Stream] ignored a second start on {}", describe());
			return;
		}
		this.callSid = start.callSid();
		this.line.begin(start.streamSid());
		this.streamSid = start.streamSid();
		this.startedNanos = System.nanoTime();
		log.info("[Stream] started callSid={} streamSid={} agent={} format={}/{}Hz parameters={}", start.callSid(),
				start.streamSid(), this.agent.name(), start.encoding(), start.sampleRate(),
				start.customParameters().keySet());
		AgentSession session = this.agentSession;
		if (session != null) {
			session.begin(start.callSid(), start.customParameters());
		}
		this.registry.started(this);
	}

	private void onCallerAudio(TwilioEvent.Media media) {
		if (this.streamSid == null) {
			this.metrics.ignored(CallMetrics.IgnoredReason.BEFORE_START);
			return;
		}
		if (!sameStream(media.streamSid())) {
			return;
		}
		if (!"inbound".equals(media.track())) {
			return;
		}
		this.framesIn++;
		this.metrics.frameIn();
		if (this.agentReady) {
			this.agentSession.appendAudio(media.payload());
			return;
		}
		synchronized (this.heldAudio) {
			if (!this.agentReady) {
				hold(media.payload());
				return;
			}
		}
		this.agentSession.appendAudio(media.payload());
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

	/** The caller's socket closed; if the call had not ended yet, the caller went away. */
	public void onCallerClosed(int code) {
		if (!this.ended.get()) {
			log.info("[Stream] socket closed without stop on {} (code {})", describe(), code);
		}
		end(this.endedByAgent ? CallOutcome.COMPLETED : CallOutcome.CALLER_HUNG_UP, 1000, "caller closed");
	}

	// ---- agent side -------------------------------------------------------------------

	@Override
	public void onReady() {
		synchronized (this.heldAudio) {
			AgentSession session = this.agentSession;
			if (session != null) {
				releaseHeldAudio(session);
			}
			else {
				// an agent may be ready before open() returns (the echo agent always is)
				this.readyBeforeOpen = true;
			}
		}
	}

	/** Sends the held caller audio in order, then lets new audio through directly. */
	private void releaseHeldAudio(AgentSession session) {
		for (String payload : this.heldAudio) {
			session.appendAudio(payload);
		}
		this.heldAudio.clear();
		this.heldAudioBytes = 0;
		this.agentReady = true;
	}

	@Override
	public void onAudio(String itemId, String payload) {
		if (this.ended.get() || this.streamSid == null) {
			return;
		}
		synchronized (this.sendLock) {
			int length = payload.length();
			int from = 0;
			while (from < length) {
				int room;
				synchronized (this) {
					room = this.clock.roomBeforeMark();
				}
				int remaining = Base64Audio.decodedLength(payload, from);
				String piece;
				int bytes;
				if (remaining <= room) {
					piece = (from == 0) ? payload : payload.substring(from);
					bytes = remaining;
					from = length;
				}
				else {
					// split on a 4-character boundary so each piece is valid base64 on its own
					int chars = (room / 3) * 4;
					if (chars == 0) {
						sendMark();
						continue;
					}
					piece = payload.substring(from, from + chars);
					bytes = (chars / 4) * 3;
					from += chars;
				}
				this.line.sendMedia(piece);
				boolean markDue;
				synchronized (this) {
					this.clock.sent(itemId, bytes);
					this.framesOut++;
					markDue = this.clock.roomBeforeMark() < 3;
				}
				this.metrics.frameOut();
				if (markDue) {
					sendMark();
				}
			}
			if (!this.firstAudioSent) {
				this.firstAudioSent = true;
				this.metrics.firstAudio(Duration.ofNanos(System.nanoTime() - this.startedNanos));
			}
		}
	}

	/** Places the next mark after the audio sent so far; the caller holds {@code sendLock}. */
	private void sendMark() {
		long number;
		synchronized (this) {
			number = this.clock.mark();
		}
		this.line.sendMark(Long.toString(number));
	}

	@Override
	public void onAudioDone() {
		boolean actNow = false;
		synchronized (this.sendLock) {
			if (this.ended.get()) {
				return;
			}
			boolean unmarked;
			synchronized (this) {
				unmarked = this.clock.hasUnmarkedAudio();
			}
			if (unmarked) {
				sendMark();
			}
			synchronized (this) {
				if (this.pendingAction != null && this.actionMark == 0) {
					// the agent's goodbye is out: act once the caller has heard it
					this.actionMark = this.clock.lastMark();
					actNow = this.actionMark == 0 || this.clock.hasPlayed(this.actionMark);
				}
			}
		}
		if (actNow) {
			takeAction();
		}
	}

	@Override
	public void onCallAction(CallAction action) {
		synchronized (this) {
			if (this.pendingAction != null) {
				return;
			}
			this.pendingAction = action;
		}
		log.info("[Stream] agent asked to {} callSid={}; waiting for its last words to be heard",
				action.name().toLowerCase(java.util.Locale.ROOT), this.callSid);
		this.timer.schedule(this::takeAction, ACTION_GRACE_MILLIS, TimeUnit.MILLISECONDS);
	}

	/** Ends or transfers the call, once, off the relay's threads (it may call Twilio's REST API). */
	private void takeAction() {
		if (this.ended.get() || !this.actionTaken.compareAndSet(false, true)) {
			return;
		}
		CallAction action;
		synchronized (this) {
			action = this.pendingAction;
		}
		this.endedByAgent = true;
		this.restExecutor.execute(() -> {
			try {
				if (this.control.available() && this.callSid != null) {
					if (action == CallAction.TRANSFER) {
						this.control.transfer(this.callSid, this.transferNumber);
					}
					else {
						this.control.hangUp(this.callSid);
					}
					return;
				}
			}
			catch (RuntimeException ex) {
				log.warn("[Stream] could not {} callSid={} through Twilio's REST API: {}; ending the stream instead",
						action.name().toLowerCase(java.util.Locale.ROOT), this.callSid, ex.getMessage());
			}
			// without REST, end our stream: Twilio then asks the Connect action, which hangs up or dials
			if (action == CallAction.TRANSFER && this.callSid != null) {
				this.registry.transferOnAction(this.callSid, this.transferNumber);
			}
			end(CallOutcome.COMPLETED, 1000, "agent ended the call");
		});
	}

	@Override
	public void onSpeechStarted() {
		Interruption cut;
		synchronized (this.sendLock) {
			if (this.ended.get()) {
				return;
			}
			synchronized (this) {
				cut = this.clock.interrupt();
				if (cut != null) {
					this.bargeIns++;
				}
			}
			if (cut != null) {
				this.line.sendClear();
			}
		}
		if (cut != null) {
			this.metrics.bargeIn();
			log.info("[Stream] barge-in callSid={} item={} heard={}ms", this.callSid, cut.itemId(), cut.audioEndMs());
		}
		AgentSession session = this.agentSession;
		if (session != null) {
			session.interrupt(cut);
		}
	}

	@Override
	public void onFailure(String reason) {
		log.warn("[Stream] agent failed on {}: {}", describe(), reason);
		end(CallOutcome.AGENT_FAILED, 1011, "agent unavailable");
	}

	// ---- ending -----------------------------------------------------------------------

	/** Ends the call exactly once: closes the agent and the caller's stream, then reports. */
	public void end(CallOutcome outcome, int closeCode, String reason) {
		if (!this.ended.compareAndSet(false, true)) {
			return;
		}
		AgentSession session = this.agentSession;
		if (session != null) {
			session.close();
		}
		// the outcome is known before Twilio sees the close and asks the Connect action what next
		this.registry.ended(this, outcome);
		this.metrics.callEnded(this.agent.name(), outcome);
		this.line.close(closeCode, reason);
		synchronized (this.heldAudio) {
			this.heldAudio.clear();
			this.heldAudioBytes = 0;
		}
		long since = (this.startedNanos != 0) ? this.startedNanos : this.openedNanos;
		Duration duration = Duration.ofNanos(System.nanoTime() - since);
		long out;
		long barges;
		synchronized (this) {
			out = this.framesOut;
			barges = this.bargeIns;
		}
		log.info("[Stream] stopped callSid={} streamSid={} outcome={} duration={}ms framesIn={} framesOut={} bargeIns={}",
				this.callSid, this.streamSid, outcome.tag(), duration.toMillis(), this.framesIn, out, barges);
	}

	private String describe() {
		return (this.callSid != null) ? "callSid=" + this.callSid : "stream " + this.id;
	}

}

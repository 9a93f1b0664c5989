package dev.voicebridge.agent.realtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.voicebridge.agent.AgentListener;
import dev.voicebridge.agent.AgentSession;
import dev.voicebridge.agent.Base64Audio;
import dev.voicebridge.agent.CallAction;
import dev.voicebridge.agent.Interruption;
import dev.voicebridge.agent.SerialEvents;
import dev.voicebridge.agent.Turn;
import dev.voicebridge.agent.realtime.RealtimeEvents.ServerEvent;
import dev.voicebridge.config.Upstream;
import dev.voicebridge.profiles.CallProfile;

/**
 * One call's OpenAI Realtime session: audio both ways unchanged, the response in progress for
 * barge-in and tools, a renewal before the 60-minute limit, and every upstream fault turned into
 * one {@link AgentListener#onFailure}. Its events arrive one at a time in the call's order.
 */
final class RealtimeSession implements AgentSession, RealtimeConnection.Owner {

	private static final Logger log = LoggerFactory.getLogger(RealtimeSession.class);

	/** Error codes after which the session cannot go on. */
	private static final Set<String> FATAL_CODES = Set.of("session_expired", "invalid_api_key", "insufficient_quota",
			"session_not_found");

	/** How long a renewal that did not succeed waits before it is tried again. */
	private static final Duration RENEWAL_RETRY = Duration.ofMinutes(1);

	private final RealtimeAgent agent;

	private final AgentListener listener;

	private final SerialEvents events;

	private final ConversationLog conversation = new ConversationLog();

	/** Tool calls of the response in progress, carried out once it is done. */
	private final List<ServerEvent> toolCalls = new ArrayList<>(1);

	/** The connection audio goes to; replaced once by each renewal. */
	private RealtimeConnection active;

	/** A fresh connection being set up to take over, or null. */
	private RealtimeConnection renewal;

	private boolean finished;

	private boolean begun;

	private boolean greeted;

	/** The agent ended or transferred the call: no renewal is started any more. */
	private boolean actionRequested;

	/** Keypad input or a goodbye waits for the response in progress to be done before asking for its own. */
	private boolean responseWanted;

	private String goodbyePending;

	/** Keypad entries typed before the session was configured. */
	private final List<String> keypadWaiting = new ArrayList<>(1);

	/** The socket opened at connect, before the call's profile was known, was lost: begin opens another. */
	private boolean preconnectLost;

	private long invalidAudio;

	private String callSid = "(before start)";

	/** The call's profile: the default until {@code start} names the call's own. */
	private CallProfile profile;

	/** The profile whose session.update the active connection was sent, or null before any. */
	private CallProfile configuredFor;

	RealtimeSession(RealtimeAgent agent, AgentListener listener, SerialEvents events) {
		this.agent = agent;
		this.listener = listener;
		this.events = events;
	}

	/**
	 * Opens the upstream as soon as the caller's stream connects. When every call gets the same
	 * profile its session is configured at once; otherwise the socket to the default upstream
	 * waits for {@code start} to name the call's profile.
	 */
	void connect() {
		this.profile = this.agent.defaultProfile();
		Upstream upstream = this.profile.upstream();
		log.info("[OpenAI] connecting to {} model={}", upstream.describe(), upstream.model());
		this.active = new RealtimeConnection(this.agent, upstream, this.events, this, false);
		if (this.agent.configuresEarly()) {
			this.configuredFor = this.profile;
			this.active.open(RealtimeEvents.sessionUpdate(this.profile));
		}
		else {
			this.active.open(null);
		}
	}

	// ---- calls from the call ------------------------------------------------------------

	@Override
	public void begin(String callSid, CallProfile profile, Map<String, String> parameters) {
		this.callSid = callSid;
		this.begun = true;
		if (!profile.equals(this.configuredFor)) {
			useProfile(profile);
		}
		greetIfDue();
	}

	/**
	 * Configures the session for the call's profile: on the open socket when the profile's
	 * upstream is the default's, else on a socket of its own, the first one closed unused.
	 */
	private void useProfile(CallProfile profile) {
		this.profile = profile;
		this.configuredFor = profile;
		String update = RealtimeEvents.sessionUpdate(profile);
		if (!this.preconnectLost && profile.upstream().sameRealtimeEndpoint(this.active.upstream())) {
			this.active.configure(update);
			return;
		}
		Upstream upstream = profile.upstream();
		log.info("[OpenAI] profile {} of callSid={} has its own upstream: connecting to {} model={}", profile.label(),
				this.callSid, upstream.describe(), upstream.model());
		this.active.close("normal", "the call's profile uses another upstream");
		this.active = new RealtimeConnection(this.agent, upstream, this.events, this, false);
		this.active.open(update);
	}

	@Override
	public void appendAudio(String payload) {
		this.active.send(RealtimeEvents.append(payload));
	}

	@Override
	public void interrupt(Interruption cut) {
		RealtimeConnection connection = this.active;
		// an item of a session that was renewed away is unknown to this one: nothing to truncate
		if (cut != null && connection.spoke(cut.itemId())) {
			connection.send(RealtimeEvents.truncate(cut.itemId(), cut.audioEndMs()));
			this.conversation.interrupted(cut.itemId(), cut.audioEndMs(), connection.audioMillis(cut.itemId()));
		}
		String response = connection.activeResponseId;
		if (response != null) {
			connection.droppedResponseId = response;
			connection.activeResponseId = null;
			connection.send(RealtimeEvents.cancel(response));
		}
	}

	@Override
	public void close() {
		if (this.finished) {
			return;
		}
		this.finished = true;
		if (this.renewal != null) {
			this.renewal.close("normal", "call ended");
		}
		this.active.close("normal", "call ended");
		log.info("[OpenAI] closed callSid={}", this.callSid);
	}

	@Override
	public void keypad(String digits) {
		if (this.finished || this.actionRequested) {
			return;
		}
		this.conversation.keypad();
		if (!this.active.configured) {
			// sent before session.update, the entry would be answered by an unconfigured session
			this.keypadWaiting.add(digits);
			return;
		}
		this.active.send(RealtimeEvents.keypad(digits));
		requestResponse();
	}

	@Override
	public void sayGoodbye(String goodbye) {
		if (this.finished || this.actionRequested) {
			return;
		}
		this.actionRequested = true;
		if (this.active.responseBusy() || !this.active.configured) {
			// one response at a time: the goodbye follows the one in progress
			this.goodbyePending = goodbye;
			return;
		}
		goodbye(goodbye);
	}

	private void goodbye(String goodbye) {
		this.active.requestResponse(RealtimeEvents.goodbye(goodbye));
		this.listener.onCallAction(CallAction.END);
	}

	/** A response for input the model has not answered yet: now, or once the one in progress is done. */
	private void requestResponse() {
		if (this.active.responseBusy()) {
			this.responseWanted = true;
		}
		else {
			this.active.requestResponse(RealtimeEvents.responseCreate());
		}
	}

	/** Once the session is configured: keypad entries that came before it, then a goodbye that waited. */
	private void sendWaiting() {
		for (String digits : this.keypadWaiting) {
			this.active.send(RealtimeEvents.keypad(digits));
			requestResponse();
		}
		this.keypadWaiting.clear();
		if (this.goodbyePending != null && !this.active.responseBusy()) {
			String goodbye = this.goodbyePending;
			this.goodbyePending = null;
			goodbye(goodbye);
		}
	}

	@Override
	public List<Turn> transcript() {
		return this.conversation.turns();
	}

	private void greetIfDue() {
		String greeting = this.profile.greeting();
		if (greeting != null && this.active.configured && this.begun && !this.greeted) {
			this.greeted = true;
			this.active.requestResponse(RealtimeEvents.greeting(greeting));
		}
	}

	// ---- what the connections report -------------------------------------------------------

	@Override
	public void onLost(RealtimeConnection connection, String reason, String detail) {
		if (this.finished) {
			return;
		}
		if (connection == this.active && this.configuredFor == null) {
			// the socket opened ahead of start for a profile not yet known: the call's own upstream
			// may well be another, so begin connects again instead of failing the call now
			this.preconnectLost = true;
			connection.close(reason, null);
			log.info("[OpenAI] the connection opened ahead of start was lost ({}); the call connects at start", detail);
			return;
		}
		if (connection == this.active) {
			fail(connection, reason, detail);
		}
		else {
			renewalFailed(connection, reason, detail);
		}
	}

	@Override
	public void onEvent(RealtimeConnection connection, ServerEvent event) {
		if (this.finished) {
			return;
		}
		if (connection != this.active) {
			onRenewalEvent(connection, event);
			return;
		}
		switch (event.type()) {
			case "response.output_audio.delta" -> onDelta(connection, event);
			case "input_audio_buffer.speech_started" -> {
				connection.callerSpeaking = true;
				this.listener.onSpeechStarted();
			}
			case "input_audio_buffer.speech_stopped" -> connection.callerSpeaking = false;
			case "input_audio_buffer.committed" -> connection.inputAwaitingAnswer = true;
			case "response.created" -> {
				connection.responseRequested = false;
				connection.activeResponseId = event.responseId();
				connection.inputAwaitingAnswer = false;
				if (event.responseId() != null) {
					connection.watchResponse(event.responseId());
				}
			}
			case "response.output_audio.done" -> {
				if (!connection.isDropped(event.responseId())) {
					this.listener.onAudioDone();
				}
			}
			case "response.function_call_arguments.done" -> onFunctionCall(connection, event);
			case "response.done" -> onResponseDone(connection, event);
			case "session.updated" -> {
				if (!connection.configured) {
					connection.configured = true;
					log.info("[OpenAI] session configured callSid={}", this.callSid);
					this.listener.onReady();
					greetIfDue();
					sendWaiting();
					scheduleRenewal(this.agent.openai().sessionRenewAfter());
				}
			}
			case "conversation.item.input_audio_transcription.completed" -> {
				if (event.transcript() != null) {
					this.conversation.caller(event.transcript());
					log.info("[OpenAI] caller said callSid={}: {}", this.callSid,
							this.agent.privacy().transcript(event.transcript()));
				}
			}
			case "response.output_audio_transcript.done" -> {
				if (event.transcript() != null) {
					this.conversation.agent(event.itemId(), event.transcript());
					log.info("[OpenAI] agent said callSid={}: {}", this.callSid,
							this.agent.privacy().transcript(event.transcript()));
				}
			}
			case "error" -> onError(connection, event);
			case "" -> log.debug("[OpenAI] unreadable event ignored");
			default -> {
			}
		}
	}

	/**
	 * Agent audio is spliced into Twilio's JSON as it came: a delta that is not well-formed
	 * base64 (from a proxy or a compatible upstream) would break or inject into the caller's
	 * messages, so it is dropped and counted.
	 */
	private void onDelta(RealtimeConnection connection, ServerEvent event) {
		String item = event.itemId();
		String delta = event.delta();
		if (delta == null || item == null || connection.isDropped(event.responseId())) {
			return;
		}
		if (!Base64Audio.isWellFormed(delta)) {
			this.agent.metrics().invalidAudio();
			if (this.invalidAudio++ == 0) {
				log.warn("[OpenAI] dropped agent audio that is not base64 callSid={} (further ones are counted in "
						+ "voicebridge.upstream.audio.invalid)", this.callSid);
			}
			return;
		}
		connection.audio(item, delta);
		this.listener.onAudio(item, delta);
	}

	/** A tool call is carried out once its response is done, and only if nobody cut it off. */
	private void onFunctionCall(RealtimeConnection connection, ServerEvent event) {
		if (connection.isDropped(event.responseId())) {
			log.info("[OpenAI] ignored {} from a response the caller interrupted callSid={}", event.name(),
					this.callSid);
			return;
		}
		this.toolCalls.add(event);
	}

	private void onResponseDone(RealtimeConnection connection, ServerEvent event) {
		String id = event.responseId();
		if (id != null && id.equals(connection.activeResponseId)) {
			connection.activeResponseId = null;
		}
		connection.responseRequested = false;
		if (event.usage() != null) {
			this.listener.onUsage(event.usage());
		}
		if (this.goodbyePending != null) {
			String goodbye = this.goodbyePending;
			this.goodbyePending = null;
			this.toolCalls.clear();
			goodbye(goodbye);
			return;
		}
		if (!this.toolCalls.isEmpty()) {
			List<ServerEvent> calls = List.copyOf(this.toolCalls);
			this.toolCalls.clear();
			if ("completed".equals(event.status()) && !connection.isDropped(id)) {
				calls.forEach((call) -> runTool(connection, call));
				// only now may a new response start: the one that called the tools is done
				this.responseWanted = false;
				connection.requestResponse(RealtimeEvents.responseCreate());
			}
			else {
				log.info("[OpenAI] ignored {} tool call(s) of response {} ({}) callSid={}", calls.size(), id,
						event.status(), this.callSid);
			}
		}
		if (this.responseWanted && !connection.responseBusy()) {
			this.responseWanted = false;
			connection.requestResponse(RealtimeEvents.responseCreate());
		}
		takeOverIfReady();
	}

	/** The agent called a tool: answer it and tell the call what to do. */
	private void runTool(RealtimeConnection connection, ServerEvent call) {
		String name = (call.name() != null) ? call.name() : "";
		CallAction action = switch (name) {
			case RealtimeEvents.END_CALL -> CallAction.END;
			case RealtimeEvents.TRANSFER_CALL -> CallAction.TRANSFER;
			default -> null;
		};
		log.info("[OpenAI] agent called {} callSid={}", name, this.callSid);
		String output = (action != null) ? "{\"ok\":true}" : "{\"ok\":false,\"error\":\"unknown tool\"}";
		connection.send(RealtimeEvents.functionOutput(call.callId(), output));
		if (action != null && !this.actionRequested) {
			this.actionRequested = true;
			this.listener.onCallAction(action);
		}
	}

	private void onError(RealtimeConnection connection, ServerEvent event) {
		String code = (event.errorCode() != null) ? event.errorCode() : "";
		if ("conversation_already_has_active_response".equals(code)) {
			// our response.create met one the server started itself: ask again once that one is done
			connection.responseRequested = false;
			this.responseWanted = true;
			log.debug("[OpenAI] a response was already active; asking again after it callSid={}", this.callSid);
			return;
		}
		if ("response_cancel_not_active".equals(code)) {
			// the server had already ended the response we cancelled: an expected race, not an error
			log.debug("[OpenAI] cancel found no active response callSid={}", this.callSid);
			return;
		}
		// before session.updated an error answers our session.update: the session is not ours
		boolean fatal = FATAL_CODES.contains(code) || !connection.configured;
		this.agent.metrics().error(fatal);
		if ("session_expired".equals(code)) {
			connection.sessionExpired = true;
		}
		if (!fatal) {
			log.warn("[OpenAI] error (recoverable) callSid={} type={} code={}: {}", this.callSid, event.errorType(),
					code, event.errorMessage());
		}
		else if (!connection.configured) {
			log.warn("[OpenAI] OpenAI refused the session configuration callSid={} type={} code={}: {} "
					+ "(check OPENAI_VOICE, OPENAI_MODEL, OPENAI_TRANSCRIPTION_MODEL and OPENAI_TURN_DETECTION)",
					this.callSid, event.errorType(), code, event.errorMessage());
			connection.lost("error", "session configuration refused: " + code);
		}
		else {
			log.warn("[OpenAI] fatal error callSid={} type={} code={}: {}", this.callSid, event.errorType(), code,
					event.errorMessage());
			connection.lost(connection.sessionExpired ? "session_limit" : "error", "fatal upstream error " + code);
		}
	}

	// ---- session renewal ----------------------------------------------------------------

	private void scheduleRenewal(Duration after) {
		if (!this.finished && !this.actionRequested) {
			this.events.schedule(this::renew, after);
		}
	}

	private void renew() {
		if (this.finished || this.renewal != null || this.actionRequested) {
			return;
		}
		log.info("[OpenAI] renewing the Realtime session of callSid={} before its time limit", this.callSid);
		RealtimeConnection fresh = new RealtimeConnection(this.agent, this.active.upstream(), this.events, this, true);
		fresh.seededWith = this.conversation.version();
		this.renewal = fresh;
		fresh.open(RealtimeEvents.continuedSessionUpdate(this.profile, this.conversation.text()));
	}

	/** A renewal only waits to be configured; an error abandons it. */
	private void onRenewalEvent(RealtimeConnection renewal, ServerEvent event) {
		if ("session.updated".equals(event.type()) && !renewal.configured) {
			renewal.configured = true;
			log.info("[OpenAI] renewed session ready for callSid={}; it takes over between turns", this.callSid);
			takeOverIfReady();
		}
		else if ("error".equals(event.type())) {
			renewalFailed(renewal, "error", "error " + event.errorCode());
		}
	}

	/**
	 * The renewal is configured: it takes over between turns, with no response in progress, the
	 * caller not speaking and no committed caller input waiting for its answer, so no word of
	 * either side is lost. It first learns what was said since it was seeded.
	 */
	private void takeOverIfReady() {
		RealtimeConnection fresh = this.renewal;
		RealtimeConnection old = this.active;
		if (fresh == null || !fresh.configured || this.finished || !old.betweenTurns()) {
			return;
		}
		if (fresh.seededWith != this.conversation.version()) {
			fresh.send(RealtimeEvents.continuedSessionUpdate(this.profile, this.conversation.text()));
		}
		this.active = fresh;
		this.renewal = null;
		old.close("session_limit", "session renewed");
		log.info("[OpenAI] callSid={} continues on a renewed Realtime session", this.callSid);
		scheduleRenewal(this.agent.openai().sessionRenewAfter());
	}

	private void renewalFailed(RealtimeConnection failed, String reason, String detail) {
		failed.close(reason, null);
		if (this.renewal == failed) {
			this.renewal = null;
			log.warn("[OpenAI] session renewal for callSid={} failed ({}); the current session goes on, retrying in {}s",
					this.callSid, detail, RENEWAL_RETRY.toSeconds());
			scheduleRenewal(RENEWAL_RETRY);
		}
	}

	/** Ends the session from the upstream's side, once: the call falls back. */
	private void fail(RealtimeConnection connection, String reason, String detail) {
		this.finished = true;
		if (this.renewal != null) {
			this.renewal.close("normal", "call ended");
		}
		connection.close(reason, null);
		log.warn("[OpenAI] session ended callSid={}: {}", this.callSid, detail);
		this.listener.onFailure(detail);
	}

}

package dev.voicebridge.agent.realtime;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.voicebridge.agent.AgentListener;
import dev.voicebridge.agent.AgentSession;
import dev.voicebridge.agent.CallAction;
import dev.voicebridge.agent.Interruption;
import dev.voicebridge.agent.SerialEvents;
import dev.voicebridge.agent.realtime.RealtimeEvents.ServerEvent;
import dev.voicebridge.call.Base64Audio;

/**
 * One call's OpenAI Realtime session. Configures it on open, passes caller audio up and agent
 * audio down unchanged, tracks the response in progress for barge-in and tools, and turns every
 * upstream fault (a refused connect, a configuration OpenAI rejects or never confirms, a fatal
 * error, a dropped socket, a response that goes silent) into one {@link AgentListener#onFailure}.
 *
 * <p>A call may outlive OpenAI's 60-minute session limit: before it, a second connection is
 * configured with the conversation as the caller heard it, and takes over between turns. Every
 * socket event is handed to the call's {@link SerialEvents} and handled there, one at a time
 * with the call's other events: the state below is confined to that order and has no locks.
 */
final class RealtimeSession implements AgentSession {

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

	/** The connection audio goes to; replaced once by each renewal. */
	private Connection active;

	/** A fresh connection being set up to take over, or null. */
	private Connection renewal;

	private boolean finished;

	private boolean begun;

	private boolean greeted;

	/** The agent ended or transferred the call: no renewal is started any more. */
	private boolean actionRequested;

	private String callSid = "(before start)";

	RealtimeSession(RealtimeAgent agent, AgentListener listener, SerialEvents events) {
		this.agent = agent;
		this.listener = listener;
		this.events = events;
	}

	void connect() {
		log.info("[OpenAI] connecting to {} model={}", this.agent.openai().realtimeUrl(), this.agent.openai().model());
		this.active = new Connection(false);
		this.active.open(this.agent.sessionUpdate());
	}

	// ---- calls from the call ------------------------------------------------------------

	@Override
	public void begin(String callSid, Map<String, String> parameters) {
		this.callSid = callSid;
		this.begun = true;
		greetIfDue();
	}

	@Override
	public void appendAudio(String payload) {
		this.active.send(RealtimeEvents.append(payload));
	}

	@Override
	public void interrupt(Interruption cut) {
		Connection connection = this.active;
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
			this.renewal.shut("normal", "call ended");
		}
		this.active.shut("normal", "call ended");
		log.info("[OpenAI] closed callSid={}", this.callSid);
	}

	private void greetIfDue() {
		String greeting = this.agent.greeting();
		if (greeting != null && this.active.configured && this.begun && !this.greeted) {
			this.greeted = true;
			this.active.send(RealtimeEvents.greeting(greeting));
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
		Connection fresh = new Connection(true);
		fresh.seededWith = this.conversation.version();
		this.renewal = fresh;
		fresh.open(this.agent.continuedSessionUpdate(this.conversation.text()));
	}

	/**
	 * The renewal is configured: it takes over between turns, with no response in progress, the
	 * caller not speaking and no committed caller input waiting for its answer, so no word of
	 * either side is lost. It first learns what was said since it was seeded.
	 */
	private void takeOverIfReady() {
		Connection fresh = this.renewal;
		Connection old = this.active;
		if (fresh == null || !fresh.configured || this.finished || !old.betweenTurns()) {
			return;
		}
		if (fresh.seededWith != this.conversation.version()) {
			fresh.send(this.agent.continuedSessionUpdate(this.conversation.text()));
		}
		this.active = fresh;
		this.renewal = null;
		old.shut("session_limit", "session renewed");
		log.info("[OpenAI] callSid={} continues on a renewed Realtime session", this.callSid);
		scheduleRenewal(this.agent.openai().sessionRenewAfter());
	}

	private void renewalFailed(Connection failed, String disconnectReason, String detail) {
		failed.shut(disconnectReason, null);
		if (this.renewal == failed) {
			this.renewal = null;
			log.warn("[OpenAI] session renewal for callSid={} failed ({}); the current session goes on, retrying in {}s",
					this.callSid, detail, RENEWAL_RETRY.toSeconds());
			scheduleRenewal(RENEWAL_RETRY);
		}
	}

	/** Ends the session from the upstream's side, once: the call falls back. */
	private void fail(Connection connection, String disconnectReason, String detail) {
		if (this.finished) {
			return;
		}
		this.finished = true;
		if (this.renewal != null && this.renewal != connection) {
			this.renewal.shut("normal", "call ended");
		}
		connection.shut(disconnectReason, null);
		log.warn("[OpenAI] session ended callSid={}: {}", this.callSid, detail);
		this.listener.onFailure(detail);
	}

	private static String hint(int status) {
		return switch (status) {
			case 401 -> " (check OPENAI_API_KEY)";
			case 403 -> " (the key's project may lack Realtime access)";
			case 404 -> " (check OPENAI_REALTIME_URL and OPENAI_MODEL)";
			case 429 -> " (rate limited or out of quota)";
			default -> "";
		};
	}

	/**
	 * One WebSocket to the Realtime API. The first of a call is the call's lifeline: its failure
	 * ends the call. A renewal's failure only abandons the renewal. OkHttp's callbacks only hand
	 * their event to the call's order; everything else happens there.
	 */
	private final class Connection extends WebSocketListener {

		private final boolean isRenewal;

		private final long connectStarted = System.nanoTime();

		/** The per-event entry, kept so handing an event over allocates nothing. */
		private final Consumer<ServerEvent> onEvent = this::handle;

		private final List<ServerEvent> toolCalls = new ArrayList<>(1);

		private WebSocket socket;

		private boolean open;

		private boolean configured;

		private boolean shut;

		private boolean sessionExpired;

		private String activeResponseId;

		private String droppedResponseId;

		private boolean callerSpeaking;

		/** The caller's audio was committed as an item and no response has answered it yet. */
		private boolean inputAwaitingAnswer;

		/** The last assistant item whose audio came over this connection, and its length. */
		private String audioItem;

		private long audioItemBytes;

		private long lastEventNanos;

		/** The conversation's version when this renewal's instructions were written. */
		private long seededWith;

		/** Sent once the socket opens. */
		private String pendingSessionUpdate;

		Connection(boolean isRenewal) {
			this.isRenewal = isRenewal;
		}

		/** Opens the socket and bounds the time until the session is configured. */
		void open(String sessionUpdate) {
			var openai = RealtimeSession.this.agent.openai();
			Request request = new Request.Builder().url(openai.connectUri().toString())
				.header("Authorization", "Bearer " + openai.apiKey())
				.build();
			this.pendingSessionUpdate = sessionUpdate;
			this.socket = RealtimeSession.this.agent.client().newWebSocket(request, this);
			RealtimeSession.this.events.schedule(this::setupTimedOut, openai.connectTimeout());
		}

		void send(String event) {
			if (this.shut || RealtimeSession.this.finished) {
				return;
			}
			if (!this.socket.send(event)) {
				// OkHttp's queue is full (16 MB) or the socket is closing: this connection is lost
				lost("error", "upstream send queue is full or closed");
			}
		}

		/** Closes this connection once, counting how it ended if it had opened. */
		void shut(String reason, String closeReason) {
			if (this.shut) {
				return;
			}
			this.shut = true;
			if (this.open) {
				RealtimeSession.this.agent.metrics().disconnected(reason);
				this.socket.close(1000, closeReason);
			}
			else {
				this.socket.cancel();
			}
		}

		boolean betweenTurns() {
			return this.activeResponseId == null && !this.callerSpeaking && !this.inputAwaitingAnswer;
		}

		/** Whether this connection produced audio of that item (the last one it did). */
		boolean spoke(String itemId) {
			return itemId.equals(this.audioItem);
		}

		long audioMillis(String itemId) {
			return spoke(itemId) ? this.audioItemBytes / Base64Audio.BYTES_PER_MS : 0;
		}

		private boolean isCurrent() {
			return RealtimeSession.this.active == this;
		}

		// ---- OkHttp's threads: hand over, nothing else ------------------------------------

		@Override
		public void onOpen(WebSocket webSocket, Response response) {
			RealtimeSession.this.events.execute(this::opened);
		}

		@Override
		public void onMessage(WebSocket webSocket, String text) {
			// parsed on the reader's thread, handled in the call's order
			RealtimeSession.this.events.submit(this.onEvent, RealtimeEvents.read(text));
		}

		@Override
		public void onClosing(WebSocket webSocket, int code, String reason) {
			webSocket.close(1000, null);
			RealtimeSession.this.events.execute(() -> closedByUpstream(code));
		}

		@Override
		public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
			int status = (response != null) ? response.code() : 0;
			RealtimeSession.this.events.execute(() -> failed(failure, status));
		}

		// ---- the call's order ---------------------------------------------------------------

		private void opened() {
			if (this.shut) {
				return;
			}
			this.open = true;
			Duration took = Duration.ofNanos(System.nanoTime() - this.connectStarted);
			RealtimeSession.this.agent.metrics().connected(took);
			log.info("[OpenAI] connected in {} ms{}", took.toMillis(), this.isRenewal ? " (renewal)" : "");
			send(this.pendingSessionUpdate);
			this.pendingSessionUpdate = null;
		}

		private void setupTimedOut() {
			if (this.shut || this.configured || RealtimeSession.this.finished) {
				return;
			}
			long millis = RealtimeSession.this.agent.openai().connectTimeout().toMillis();
			if (!this.open) {
				connectFailed("timeout", "no answer within " + millis + " ms");
			}
			else {
				lost("error", "OpenAI did not confirm the session configuration (session.updated) within " + millis
						+ " ms");
			}
		}

		private void handle(ServerEvent event) {
			if (this.shut || RealtimeSession.this.finished) {
				return;
			}
			this.lastEventNanos = System.nanoTime();
			if (!isCurrent()) {
				onRenewalEvent(event);
				return;
			}
			switch (event.type()) {
				case "response.output_audio.delta" -> onDelta(event);
				case "input_audio_buffer.speech_started" -> {
					this.callerSpeaking = true;
					RealtimeSession.this.listener.onSpeechStarted();
				}
				case "input_audio_buffer.speech_stopped" -> this.callerSpeaking = false;
				case "input_audio_buffer.committed" -> this.inputAwaitingAnswer = true;
				case "response.created" -> {
					this.activeResponseId = event.responseId();
					this.inputAwaitingAnswer = false;
					watchResponse(this.activeResponseId);
				}
				case "response.output_audio.done" -> {
					if (!isDropped(event.responseId())) {
						RealtimeSession.this.listener.onAudioDone();
					}
				}
				case "response.function_call_arguments.done" -> onFunctionCall(event);
				case "response.done" -> onResponseDone(event);
				case "session.updated" -> {
					if (!this.configured) {
						this.configured = true;
						log.info("[OpenAI] session configured callSid={}", RealtimeSession.this.callSid);
						RealtimeSession.this.listener.onReady();
						greetIfDue();
						scheduleRenewal(RealtimeSession.this.agent.openai().sessionRenewAfter());
					}
				}
				case "conversation.item.input_audio_transcription.completed" -> {
					if (event.transcript() != null) {
						RealtimeSession.this.conversation.caller(event.transcript());
						log.info("[OpenAI] caller said callSid={}: {}", RealtimeSession.this.callSid,
								RealtimeSession.this.agent.privacy().transcript(event.transcript()));
					}
				}
				case "response.output_audio_transcript.done" -> {
					if (event.transcript() != null) {
						RealtimeSession.this.conversation.agent(event.itemId(), event.transcript());
						log.info("[OpenAI] agent said callSid={}: {}", RealtimeSession.this.callSid,
								RealtimeSession.this.agent.privacy().transcript(event.transcript()));
					}
				}
				case "error" -> onError(event);
				case "" -> log.debug("[OpenAI] unreadable event ignored");
				default -> {
				}
			}
		}

		private void onDelta(ServerEvent event) {
			String item = event.itemId();
			if (event.delta() == null || item == null || isDropped(event.responseId())) {
				return;
			}
			if (!item.equals(this.audioItem)) {
				this.audioItem = item;
				this.audioItemBytes = 0;
			}
			this.audioItemBytes += Base64Audio.decodedLength(event.delta());
			RealtimeSession.this.listener.onAudio(item, event.delta());
		}

		/**
		 * A response in progress that goes silent (no upstream event for the response timeout)
		 * would leave the caller in dead air: checked while it lasts, from the last event's time.
		 */
		private void watchResponse(String responseId) {
			Duration timeout = RealtimeSession.this.agent.openai().responseTimeout();
			RealtimeSession.this.events.schedule(() -> {
				if (this.shut || !isCurrent() || !responseId.equals(this.activeResponseId)) {
					return;
				}
				long quiet = System.nanoTime() - this.lastEventNanos;
				if (quiet >= timeout.toNanos()) {
					lost("error", "response " + responseId + " went silent for " + timeout.toMillis() + " ms");
				}
				else {
					watchResponse(responseId);
				}
			}, timeout.minusNanos(System.nanoTime() - this.lastEventNanos));
		}

		/** A tool call is carried out once its response is done, and only if nobody cut it off. */
		private void onFunctionCall(ServerEvent event) {
			if (isDropped(event.responseId())) {
				log.info("[OpenAI] ignored {} from a response the caller interrupted callSid={}", event.name(),
						RealtimeSession.this.callSid);
				return;
			}
			this.toolCalls.add(event);
		}

		private void onResponseDone(ServerEvent event) {
			String id = event.responseId();
			if (id != null && id.equals(this.activeResponseId)) {
				this.activeResponseId = null;
			}
			if (!this.toolCalls.isEmpty()) {
				List<ServerEvent> calls = List.copyOf(this.toolCalls);
				this.toolCalls.clear();
				if ("completed".equals(event.status()) && !isDropped(id)) {
					calls.forEach(this::runTool);
					// only now may a new response start: the one that called the tools is done
					send(RealtimeEvents.responseCreate());
				}
				else {
					log.info("[OpenAI] ignored {} tool call(s) of response {} ({}) callSid={}", calls.size(), id,
							event.status(), RealtimeSession.this.callSid);
				}
			}
			takeOverIfReady();
		}

		/** The agent called a tool: answer it and tell the call what to do. */
		private void runTool(ServerEvent call) {
			String name = (call.name() != null) ? call.name() : "";
			CallAction action = switch (name) {
				case RealtimeEvents.END_CALL -> CallAction.END;
				case RealtimeEvents.TRANSFER_CALL -> CallAction.TRANSFER;
				default -> null;
			};
			log.info("[OpenAI] agent called {} callSid={}", name, RealtimeSession.this.callSid);
			String output = (action != null) ? "{\"ok\":true}" : "{\"ok\":false,\"error\":\"unknown tool\"}";
			send(RealtimeEvents.functionOutput(call.callId(), output));
			if (action != null && !RealtimeSession.this.actionRequested) {
				RealtimeSession.this.actionRequested = true;
				RealtimeSession.this.listener.onCallAction(action);
			}
		}

		/** A renewal only waits to be configured; errors abandon it. */
		private void onRenewalEvent(ServerEvent event) {
			if ("session.updated".equals(event.type()) && !this.configured) {
				this.configured = true;
				log.info("[OpenAI] renewed session ready for callSid={}; it takes over between turns",
						RealtimeSession.this.callSid);
				takeOverIfReady();
			}
			else if ("error".equals(event.type())) {
				renewalFailed(this, "error", "error " + event.errorCode());
			}
		}

		private boolean isDropped(String responseId) {
			return responseId != null && responseId.equals(this.droppedResponseId);
		}

		private void onError(ServerEvent event) {
			String code = (event.errorCode() != null) ? event.errorCode() : "";
			if ("response_cancel_not_active".equals(code)) {
				// the server had already ended the response we cancelled: an expected race, not an error
				log.debug("[OpenAI] cancel found no active response callSid={}", RealtimeSession.this.callSid);
				return;
			}
			// before session.updated an error answers our session.update: the session is not ours
			boolean fatal = FATAL_CODES.contains(code) || !this.configured;
			RealtimeSession.this.agent.metrics().error(fatal);
			if ("session_expired".equals(code)) {
				this.sessionExpired = true;
			}
			if (!fatal) {
				log.warn("[OpenAI] error (recoverable) callSid={} type={} code={}: {}", RealtimeSession.this.callSid,
						event.errorType(), code, event.errorMessage());
			}
			else if (!this.configured) {
				log.warn("[OpenAI] OpenAI refused the session configuration callSid={} type={} code={}: {} "
						+ "(check OPENAI_VOICE, OPENAI_MODEL, OPENAI_TRANSCRIPTION_MODEL and OPENAI_TURN_DETECTION)",
						RealtimeSession.this.callSid, event.errorType(), code, event.errorMessage());
				lost("error", "session configuration refused: " + code);
			}
			else {
				log.warn("[OpenAI] fatal error callSid={} type={} code={}: {}", RealtimeSession.this.callSid,
						event.errorType(), code, event.errorMessage());
				lost(this.sessionExpired ? "session_limit" : "error", "fatal upstream error " + code);
			}
		}

		private void closedByUpstream(int code) {
			lost(this.sessionExpired ? "session_limit" : "dropped", "upstream closed the connection (" + code + ")");
		}

		private void failed(Throwable failure, int status) {
			if (this.open) {
				lost(this.sessionExpired ? "session_limit" : "dropped", "upstream connection lost: " + failure);
			}
			else if (status != 0) {
				connectFailed((status >= 400 && status < 500) ? "rejected" : "error", "HTTP " + status + hint(status));
			}
			else {
				connectFailed((failure instanceof SocketTimeoutException) ? "timeout" : "error", failure.toString());
			}
		}

		/** This connection cannot go on: the call's lifeline fails the call, a renewal is abandoned. */
		private void lost(String disconnectReason, String detail) {
			if (this.shut || RealtimeSession.this.finished) {
				return;
			}
			if (isCurrent()) {
				fail(this, disconnectReason, detail);
			}
			else {
				renewalFailed(this, disconnectReason, detail);
			}
		}

		private void connectFailed(String outcome, String detail) {
			if (this.shut || RealtimeSession.this.finished) {
				return;
			}
			RealtimeSession.this.agent.metrics().connectFailed(outcome);
			log.warn("[OpenAI] connect failed ({}): {}", outcome, detail);
			if (isCurrent()) {
				fail(this, "error", "OpenAI connect " + outcome + ": " + detail);
			}
			else {
				renewalFailed(this, "error", "connect " + outcome);
			}
		}

	}

}

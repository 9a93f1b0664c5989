package dev.voicebridge.agent.realtime;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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
import dev.voicebridge.agent.realtime.RealtimeEvents.ServerEvent;

/**
 * One call's OpenAI Realtime session. Configures it on open, passes caller audio up and agent
 * audio down unchanged, tracks the response in progress for barge-in, and turns a refused
 * connect, a dropped socket or a fatal error into one {@link AgentListener#onFailure}.
 *
 * <p>A call may outlive OpenAI's 60-minute session limit: before it, a second connection is
 * opened and configured with the conversation so far, and it takes over once the first is not
 * mid-response. OkHttp delivers each connection's events on its own reader thread; caller audio
 * arrives on the web server's threads. {@link WebSocket#send} is thread-safe.
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

	private final AtomicBoolean finished = new AtomicBoolean();

	private final AtomicBoolean greeted = new AtomicBoolean();

	private final ConversationLog conversation = new ConversationLog();

	/** The connection audio goes to; replaced once by each renewal. */
	private volatile Connection active;

	/** A fresh connection being set up to take over, or null. */
	private volatile Connection renewal;

	private volatile ScheduledFuture<?> renewalTimer;

	private volatile boolean begun;

	/** The agent ended or transferred the call: no renewal is started any more. */
	private volatile boolean actionRequested;

	private volatile String callSid = "(before start)";

	RealtimeSession(RealtimeAgent agent, AgentListener listener) {
		this.agent = agent;
		this.listener = listener;
	}

	void connect() {
		log.info("[OpenAI] connecting to {} model={}", this.agent.openai().realtimeUrl(), this.agent.openai().model());
		Connection first = new Connection(this.agent.sessionUpdate(), false);
		this.active = first;
		first.open();
	}

	// ---- calls from the caller's side -------------------------------------------------

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
		if (cut != null) {
			connection.send(RealtimeEvents.truncate(cut.itemId(), cut.audioEndMs()));
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
		if (!this.finished.compareAndSet(false, true)) {
			return;
		}
		cancel(this.renewalTimer);
		Connection pending = this.renewal;
		if (pending != null) {
			pending.shut("normal", "call ended");
		}
		this.active.shut("normal", "call ended");
		log.info("[OpenAI] closed callSid={}", this.callSid);
	}

	private void greetIfDue() {
		String greeting = this.agent.greeting();
		Connection connection = this.active;
		if (greeting != null && connection.configured && this.begun && this.greeted.compareAndSet(false, true)) {
			connection.send(RealtimeEvents.greeting(greeting));
		}
	}

	// ---- session renewal ----------------------------------------------------------------

	private synchronized void scheduleRenewal(Duration after) {
		if (!this.finished.get() && !this.actionRequested) {
			this.renewalTimer = this.agent.timer().schedule(this::renew, after.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	private synchronized void renew() {
		if (this.finished.get() || this.renewal != null || this.actionRequested) {
			return;
		}
		log.info("[OpenAI] renewing the Realtime session of callSid={} before its time limit", this.callSid);
		Connection fresh = new Connection(this.agent.continuedSessionUpdate(this.conversation.text()), true);
		this.renewal = fresh;
		fresh.open();
	}

	/**
	 * The renewal is configured: it takes over once the call is idle, with no response in progress
	 * and the caller not speaking, so neither side's words are cut.
	 */
	private synchronized void takeOverIfReady() {
		Connection fresh = this.renewal;
		Connection old = this.active;
		if (fresh == null || !fresh.configured || old.activeResponseId != null || old.callerSpeaking
				|| this.finished.get()) {
			return;
		}
		this.active = fresh;
		this.renewal = null;
		old.shut("session_limit", "session renewed");
		log.info("[OpenAI] callSid={} continues on a renewed Realtime session", this.callSid);
		scheduleRenewal(this.agent.openai().sessionRenewAfter());
	}

	private synchronized void renewalFailed(Connection failed, String detail) {
		if (this.renewal == failed) {
			this.renewal = null;
			log.warn("[OpenAI] session renewal for callSid={} failed ({}); the current session goes on, retrying in {}s",
					this.callSid, detail, RENEWAL_RETRY.toSeconds());
			if (!this.finished.get()) {
				scheduleRenewal(RENEWAL_RETRY);
			}
		}
	}

	/** Ends the session from the upstream's side, once: the call falls back. */
	private void fail(Connection connection, String disconnectReason, String detail) {
		if (!this.finished.compareAndSet(false, true)) {
			return;
		}
		cancel(this.renewalTimer);
		Connection pending = this.renewal;
		if (pending != null && pending != connection) {
			pending.shut("normal", "call ended");
		}
		connection.shut(disconnectReason, null);
		log.warn("[OpenAI] session ended callSid={}: {}", this.callSid, detail);
		this.listener.onFailure(detail);
	}

	private static void cancel(ScheduledFuture<?> future) {
		if (future != null) {
			future.cancel(false);
		}
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
	 * ends the call. A renewal's failure only abandons the renewal.
	 */
	private final class Connection extends WebSocketListener {

		private final boolean isRenewal;

		private final String sessionUpdate;

		private final long connectStarted = System.nanoTime();

		private final AtomicBoolean shut = new AtomicBoolean();

		private volatile WebSocket socket;

		private volatile ScheduledFuture<?> connectTimeout;

		private volatile boolean open;

		private volatile boolean configured;

		private volatile boolean sessionExpired;

		volatile String activeResponseId;

		volatile boolean callerSpeaking;

		volatile String droppedResponseId;

		Connection(String sessionUpdate, boolean isRenewal) {
			this.sessionUpdate = sessionUpdate;
			this.isRenewal = isRenewal;
		}

		/** Opens the socket; called once the connection is registered, since events may come at once. */
		void open() {
			var openai = RealtimeSession.this.agent.openai();
			Request request = new Request.Builder().url(openai.connectUri().toString())
				.header("Authorization", "Bearer " + openai.apiKey())
				.build();
			this.socket = RealtimeSession.this.agent.client().newWebSocket(request, this);
			this.connectTimeout = RealtimeSession.this.agent.timer()
				.schedule(this::connectTimedOut, openai.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
			if (this.shut.get()) {
				// the call ended while this connection was being set up
				this.socket.cancel();
				cancel(this.connectTimeout);
			}
		}

		void send(String event) {
			WebSocket ws = this.socket;
			if (ws == null || this.shut.get() || RealtimeSession.this.finished.get()) {
				return;
			}
			if (!ws.send(event) && !this.shut.get() && isCurrent()) {
				// false after a takeover closed this connection is expected; only the live one fails
				fail(this, "error", "upstream send queue is full or closed");
			}
		}

		/** Closes this connection once, counting how it ended if it had opened. */
		void shut(String reason, String closeReason) {
			if (!this.shut.compareAndSet(false, true)) {
				return;
			}
			cancel(this.connectTimeout);
			WebSocket ws = this.socket;
			if (this.open) {
				RealtimeSession.this.agent.metrics().disconnected(reason);
				ws.close(1000, closeReason);
			}
			else if (ws != null) {
				ws.cancel();
			}
		}

		private boolean isCurrent() {
			return RealtimeSession.this.active == this && !this.shut.get();
		}

		@Override
		public void onOpen(WebSocket webSocket, Response response) {
			cancel(this.connectTimeout);
			if (this.shut.get() || RealtimeSession.this.finished.get()) {
				webSocket.close(1000, "call ended");
				return;
			}
			this.open = true;
			Duration took = Duration.ofNanos(System.nanoTime() - this.connectStarted);
			RealtimeSession.this.agent.metrics().connected(took);
			log.info("[OpenAI] connected in {} ms{}", took.toMillis(), this.isRenewal ? " (renewal)" : "");
			webSocket.send(this.sessionUpdate);
		}

		@Override
		public void onMessage(WebSocket webSocket, String text) {
			if (this.shut.get() || RealtimeSession.this.finished.get()) {
				return;
			}
			ServerEvent event = RealtimeEvents.read(text);
			if (!isCurrent()) {
				onRenewalMessage(event);
				return;
			}
			switch (event.type()) {
				case "response.output_audio.delta" -> {
					if (event.delta() != null && event.itemId() != null && !isDropped(event.responseId())) {
						RealtimeSession.this.listener.onAudio(event.itemId(), event.delta());
					}
				}
				case "input_audio_buffer.speech_started" -> {
					this.callerSpeaking = true;
					RealtimeSession.this.listener.onSpeechStarted();
				}
				case "input_audio_buffer.speech_stopped" -> {
					this.callerSpeaking = false;
					takeOverIfReady();
				}
				case "response.created" -> this.activeResponseId = event.responseId();
				case "response.output_audio.done" -> {
					if (!isDropped(event.responseId())) {
						RealtimeSession.this.listener.onAudioDone();
					}
				}
				case "response.done" -> {
					if (event.responseId() != null && event.responseId().equals(this.activeResponseId)) {
						this.activeResponseId = null;
					}
					takeOverIfReady();
				}
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
						log.info("[OpenAI] caller said callSid={}: {}", RealtimeSession.this.callSid, event.transcript());
					}
				}
				case "response.output_audio_transcript.done" -> {
					if (event.transcript() != null) {
						RealtimeSession.this.conversation.agent(event.transcript());
						log.info("[OpenAI] agent said callSid={}: {}", RealtimeSession.this.callSid, event.transcript());
					}
				}
				case "response.function_call_arguments.done" -> onFunctionCall(event);
				case "error" -> onError(event);
				case "" -> log.debug("[OpenAI] unreadable event ignored");
				default -> {
				}
			}
		}

		/** The agent called a tool: answer it, let the agent speak, and tell the call what to do. */
		private void onFunctionCall(ServerEvent event) {
			String name = (event.name() != null) ? event.name() : "";
			CallAction action = switch (name) {
				case RealtimeEvents.END_CALL -> CallAction.END;
				case RealtimeEvents.TRANSFER_CALL -> CallAction.TRANSFER;
				default -> null;
			};
			log.info("[OpenAI] agent called {} callSid={}", name, RealtimeSession.this.callSid);
			String output = (action != null) ? "{\"ok\":true}" : "{\"ok\":false,\"error\":\"unknown tool\"}";
			send(RealtimeEvents.functionOutput(event.callId(), output));
			if (action != null) {
				RealtimeSession.this.actionRequested = true;
				RealtimeSession.this.listener.onCallAction(action);
			}
			send(RealtimeEvents.responseCreate());
		}

		/** A renewal only waits to be configured; errors abandon it. */
		private void onRenewalMessage(ServerEvent event) {
			if ("session.updated".equals(event.type()) && !this.configured) {
				this.configured = true;
				takeOverIfReady();
			}
			else if ("error".equals(event.type())) {
				renewalFailed(this, "error " + event.errorCode());
				shut("error", null);
			}
		}

		private boolean isDropped(String responseId) {
			return responseId != null && responseId.equals(this.droppedResponseId);
		}

		private void onError(ServerEvent event) {
			String code = (event.errorCode() != null) ? event.errorCode() : "";
			boolean fatal = FATAL_CODES.contains(code);
			RealtimeSession.this.agent.metrics().error(fatal);
			if ("session_expired".equals(code)) {
				this.sessionExpired = true;
			}
			if (fatal) {
				log.warn("[OpenAI] fatal error callSid={} type={} code={}: {}", RealtimeSession.this.callSid,
						event.errorType(), code, event.errorMessage());
				fail(this, this.sessionExpired ? "session_limit" : "error", "fatal upstream error " + code);
			}
			else if ("response_cancel_not_active".equals(code)) {
				// the server had already ended the response we cancelled: an expected race
				log.debug("[OpenAI] cancel found no active response callSid={}", RealtimeSession.this.callSid);
			}
			else {
				log.warn("[OpenAI] error (recoverable) callSid={} type={} code={}: {}", RealtimeSession.this.callSid,
						event.errorType(), code, event.errorMessage());
			}
		}

		@Override
		public void onClosing(WebSocket webSocket, int code, String reason) {
			webSocket.close(1000, null);
			lost("upstream closed the connection (" + code + ")");
		}

		@Override
		public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
			cancel(this.connectTimeout);
			if (this.open) {
				lost("upstream connection lost: " + failure);
				return;
			}
			if (response != null) {
				int status = response.code();
				connectFailed((status >= 400 && status < 500) ? "rejected" : "error", "HTTP " + status + hint(status));
			}
			else {
				connectFailed((failure instanceof SocketTimeoutException) ? "timeout" : "error", failure.toString());
			}
		}

		private void lost(String detail) {
			if (this.shut.get()) {
				return;
			}
			if (isCurrent()) {
				fail(this, this.sessionExpired ? "session_limit" : "dropped", detail);
			}
			else {
				renewalFailed(this, detail);
				shut("dropped", null);
			}
		}

		private void connectTimedOut() {
			if (!this.open && !this.shut.get()) {
				connectFailed("timeout",
						"no answer within " + RealtimeSession.this.agent.openai().connectTimeout().toMillis() + " ms");
			}
		}

		private void connectFailed(String outcome, String detail) {
			if (this.shut.get() || RealtimeSession.this.finished.get()) {
				return;
			}
			RealtimeSession.this.agent.metrics().connectFailed(outcome);
			log.warn("[OpenAI] connect failed ({}): {}", outcome, detail);
			if (isCurrent()) {
				fail(this, "error", "OpenAI connect " + outcome + ": " + detail);
			}
			else {
				renewalFailed(this, "connect " + outcome);
				shut("error", null);
			}
		}

	}

}

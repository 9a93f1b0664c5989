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
import dev.voicebridge.agent.Interruption;
import dev.voicebridge.agent.realtime.RealtimeEvents.ServerEvent;

/**
 * One call's OpenAI Realtime WebSocket. Configures the session on open, passes caller audio up
 * and agent audio down unchanged, tracks the response in progress for barge-in, and turns a
 * refused connect, a dropped socket or a fatal error into one {@link AgentListener#onFailure}.
 *
 * <p>OkHttp delivers events on this socket's reader thread; caller audio arrives on the web
 * server's threads. {@link WebSocket#send} is thread-safe.
 */
final class RealtimeSession extends WebSocketListener implements AgentSession {

	private static final Logger log = LoggerFactory.getLogger(RealtimeSession.class);

	/** Error codes after which the session cannot go on. */
	private static final Set<String> FATAL_CODES = Set.of("session_expired", "invalid_api_key", "insufficient_quota",
			"session_not_found");

	private final RealtimeAgent agent;

	private final AgentListener listener;

	private final AtomicBoolean finished = new AtomicBoolean();

	private final AtomicBoolean greeted = new AtomicBoolean();

	private volatile WebSocket socket;

	private volatile ScheduledFuture<?> connectTimeout;

	private volatile boolean open;

	private volatile boolean configured;

	private volatile boolean begun;

	private volatile String callSid = "(before start)";

	private volatile String activeResponseId;

	private volatile String droppedResponseId;

	private volatile boolean sessionExpired;

	private long connectStarted;

	RealtimeSession(RealtimeAgent agent, AgentListener listener) {
		this.agent = agent;
		this.listener = listener;
	}

	void connect() {
		var openai = this.agent.openai();
		Request request = new Request.Builder().url(openai.connectUri().toString())
			.header("Authorization", "Bearer " + openai.apiKey())
			.build();
		log.info("[OpenAI] connecting to {} model={}", openai.realtimeUrl(), openai.model());
		this.connectStarted = System.nanoTime();
		this.socket = this.agent.client().newWebSocket(request, this);
		this.connectTimeout = this.agent.timer()
			.schedule(this::connectTimedOut, openai.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
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
		send(RealtimeEvents.append(payload));
	}

	@Override
	public void interrupt(Interruption cut) {
		if (cut != null) {
			send(RealtimeEvents.truncate(cut.itemId(), cut.audioEndMs()));
		}
		String active = this.activeResponseId;
		if (active != null) {
			this.droppedResponseId = active;
			this.activeResponseId = null;
			send(RealtimeEvents.cancel(active));
		}
	}

	@Override
	public void close() {
		if (!this.finished.compareAndSet(false, true)) {
			return;
		}
		cancelConnectTimeout();
		WebSocket ws = this.socket;
		if (this.open) {
			this.agent.metrics().disconnected("normal");
			ws.close(1000, "call ended");
			log.info("[OpenAI] closed callSid={}", this.callSid);
		}
		else if (ws != null) {
			ws.cancel();
		}
	}

	private void send(String event) {
		WebSocket ws = this.socket;
		if (this.finished.get() || ws == null) {
			return;
		}
		if (!ws.send(event)) {
			fail("error", "upstream send queue is full or closed");
		}
	}

	private void greetIfDue() {
		String greeting = this.agent.greeting();
		if (greeting != null && this.configured && this.begun && this.greeted.compareAndSet(false, true)) {
			send(RealtimeEvents.greeting(greeting));
		}
	}

	// ---- events from OkHttp -----------------------------------------------------------

	@Override
	public void onOpen(WebSocket webSocket, Response response) {
		cancelConnectTimeout();
		if (this.finished.get()) {
			webSocket.close(1000, "call ended");
			return;
		}
		this.open = true;
		Duration took = Duration.ofNanos(System.nanoTime() - this.connectStarted);
		this.agent.metrics().connected(took);
		log.info("[OpenAI] connected in {} ms", took.toMillis());
		webSocket.send(this.agent.sessionUpdate());
	}

	@Override
	public void onMessage(WebSocket webSocket, String text) {
		if (this.finished.get()) {
			return;
		}
		ServerEvent event = RealtimeEvents.read(text);
		switch (event.type()) {
			case "response.output_audio.delta" -> {
				if (event.delta() != null && event.itemId() != null && !isDropped(event.responseId())) {
					this.listener.onAudio(event.itemId(), event.delta());
				}
			}
			case "input_audio_buffer.speech_started" -> this.listener.onSpeechStarted();
			case "response.created" -> this.activeResponseId = event.responseId();
			case "response.output_audio.done" -> {
				if (!isDropped(event.responseId())) {
					this.listener.onAudioDone();
				}
			}
			case "response.done" -> {
				if (event.responseId() != null && event.responseId().equals(this.activeResponseId)) {
					this.activeResponseId = null;
				}
			}
			case "session.updated" -> {
				if (!this.configured) {
					this.configured = true;
					log.info("[OpenAI] session configured callSid={}", this.callSid);
					this.listener.onReady();
					greetIfDue();
				}
			}
			case "conversation.item.input_audio_transcription.completed" ->
				log.info("[OpenAI] caller said callSid={}: {}", this.callSid, event.transcript());
			case "response.output_audio_transcript.done" ->
				log.info("[OpenAI] agent said callSid={}: {}", this.callSid, event.transcript());
			case "error" -> onError(event);
			case "" -> log.debug("[OpenAI] unreadable event ignored");
			default -> {
			}
		}
	}

	private boolean isDropped(String responseId) {
		return responseId != null && responseId.equals(this.droppedResponseId);
	}

	private void onError(ServerEvent event) {
		String code = (event.errorCode() != null) ? event.errorCode() : "";
		boolean fatal = FATAL_CODES.contains(code);
		this.agent.metrics().error(fatal);
		if ("session_expired".equals(code)) {
			this.sessionExpired = true;
		}
		if (fatal) {
			log.warn("[OpenAI] fatal error callSid={} type={} code={}: {}", this.callSid, event.errorType(), code,
					event.errorMessage());
			fail("error", "fatal upstream error " + code);
		}
		else if ("response_cancel_not_active".equals(code)) {
			// the server had already ended the response we cancelled: an expected race
			log.debug("[OpenAI] cancel found no active response callSid={}", this.callSid);
		}
		else {
			log.warn("[OpenAI] error (recoverable) callSid={} type={} code={}: {}", this.callSid, event.errorType(),
					code, event.errorMessage());
		}
	}

	@Override
	public void onClosing(WebSocket webSocket, int code, String reason) {
		webSocket.close(1000, null);
		fail(this.sessionExpired ? "session_limit" : "dropped", "upstream closed the connection (" + code + ")");
	}

	@Override
	public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
		cancelConnectTimeout();
		if (this.open) {
			fail(this.sessionExpired ? "session_limit" : "dropped", "upstream connection lost: " + failure);
			return;
		}
		if (response != null) {
			int status = response.code();
			String outcome = (status >= 400 && status < 500) ? "rejected" : "error";
			connectFailed(outcome, "HTTP " + status + hint(status));
		}
		else {
			connectFailed((failure instanceof SocketTimeoutException) ? "timeout" : "error", failure.toString());
		}
	}

	private void connectTimedOut() {
		if (!this.open && !this.finished.get()) {
			connectFailed("timeout", "no answer within " + this.agent.openai().connectTimeout().toMillis() + " ms");
		}
	}

	private void connectFailed(String outcome, String detail) {
		if (!this.finished.compareAndSet(false, true)) {
			return;
		}
		WebSocket ws = this.socket;
		if (ws != null) {
			ws.cancel();
		}
		this.agent.metrics().connectFailed(outcome);
		log.warn("[OpenAI] connect failed ({}): {}", outcome, detail);
		this.listener.onFailure("OpenAI connect " + outcome + ": " + detail);
	}

	/** Ends an open session from the upstream's side, once. */
	private void fail(String disconnectReason, String detail) {
		if (!this.finished.compareAndSet(false, true)) {
			return;
		}
		cancelConnectTimeout();
		WebSocket ws = this.socket;
		if (ws != null) {
			ws.close(1000, null);
		}
		if (this.open) {
			this.agent.metrics().disconnected(disconnectReason);
		}
		log.warn("[OpenAI] session ended callSid={}: {}", this.callSid, detail);
		this.listener.onFailure(detail);
	}

	private void cancelConnectTimeout() {
		ScheduledFuture<?> timeout = this.connectTimeout;
		if (timeout != null) {
			timeout.cancel(false);
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

}

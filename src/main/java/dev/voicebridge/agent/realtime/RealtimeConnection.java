package dev.voicebridge.agent.realtime;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.Consumer;

import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.voicebridge.agent.Base64Audio;
import dev.voicebridge.agent.SerialEvents;
import dev.voicebridge.agent.realtime.RealtimeEvents.ServerEvent;
import dev.voicebridge.config.Upstream;

/**
 * One WebSocket to the Realtime API and what the protocol says about it: configured or not, the
 * response in progress, whether the caller is mid-turn. OkHttp's callbacks only hand their event
 * to the call's order ({@link SerialEvents}); there the connection tells its {@link Owner} what
 * happened, classifying every way it can fail. Confined to the call's order.
 */
final class RealtimeConnection extends WebSocketListener {

	private static final Logger log = LoggerFactory.getLogger(RealtimeConnection.class);

	/** What a connection reports, in the call's order. */
	interface Owner {

		/** A server event, parsed. */
		void onEvent(RealtimeConnection connection, ServerEvent event);

		/** The connection cannot go on; {@code reason} is the disconnect metric's. */
		void onLost(RealtimeConnection connection, String reason, String detail);

	}

	private final RealtimeAgent agent;

	private final Upstream upstream;

	private final SerialEvents events;

	private final Owner owner;

	private final boolean isRenewal;

	private final long connectStarted = System.nanoTime();

	/** The per-event entry, kept so handing an event over allocates nothing. */
	private final Consumer<ServerEvent> onEvent = this::handle;

	private WebSocket socket;

	private String sessionUpdate;

	private boolean open;

	private boolean closed;

	boolean configured;

	boolean sessionExpired;

	String activeResponseId;

	String droppedResponseId;

	boolean callerSpeaking;

	/** The caller's audio was committed as an item and no response has answered it yet. */
	boolean inputAwaitingAnswer;

	/** We sent {@code response.create} and its {@code response.created} has not come yet. */
	boolean responseRequested;

	/** The last assistant item whose audio came over this connection, and its length in bytes. */
	private String audioItem;

	private long audioItemBytes;

	private long lastEventNanos;

	/** For a renewal: the conversation's version when its instructions were written. */
	long seededWith;

	RealtimeConnection(RealtimeAgent agent, Upstream upstream, SerialEvents events, Owner owner, boolean isRenewal) {
		this.agent = agent;
		this.upstream = upstream;
		this.events = events;
		this.owner = owner;
		this.isRenewal = isRenewal;
	}

	/**
	 * Opens the socket; sends {@code sessionUpdate} once it is open, or, when it is null, waits
	 * for {@link #configure}. The connect and the configuration are each bounded by the connect
	 * timeout.
	 */
	void open(String sessionUpdate) {
		Request request = new Request.Builder().url(this.upstream.connectUri().toString())
			.header(this.upstream.authHeader(), this.upstream.authValue())
			.build();
		this.socket = this.agent.client().newWebSocket(request, this);
		this.events.schedule(this::connectTimedOut, this.agent.openai().connectTimeout());
		if (sessionUpdate != null) {
			configure(sessionUpdate);
		}
	}

	/** Configures the session: at once when the socket is open, else as soon as it opens. */
	void configure(String sessionUpdate) {
		if (this.closed) {
			return;
		}
		if (this.open) {
			send(sessionUpdate);
		}
		else {
			this.sessionUpdate = sessionUpdate;
		}
		this.events.schedule(this::configurationTimedOut, this.agent.openai().connectTimeout());
	}

	Upstream upstream() {
		return this.upstream;
	}

	void send(String event) {
		if (this.closed) {
			return;
		}
		if (!this.socket.send(event)) {
			// OkHttp's queue is full (16 MB) or the socket is closing: this connection is lost
			lost("error", "upstream send queue is full or closed");
		}
	}

	/** Closes this connection once, counting how it ended if it had opened. */
	void close(String reason, String closeReason) {
		if (this.closed) {
			return;
		}
		this.closed = true;
		if (this.open) {
			this.agent.metrics().disconnected(reason);
			this.socket.close(1000, closeReason);
		}
		else {
			this.socket.cancel();
		}
	}

	/**
	 * A response is in progress, asked for, or about to answer committed caller input: another
	 * {@code response.create} now would be refused ({@code conversation_already_has_active_response}).
	 */
	boolean responseBusy() {
		return this.activeResponseId != null || this.responseRequested || this.inputAwaitingAnswer;
	}

	/** Asks for a response; only when {@link #responseBusy()} is false. */
	void requestResponse(String responseCreate) {
		this.responseRequested = true;
		send(responseCreate);
	}

	/** Between turns: no response in progress, the caller not speaking, no question unanswered. */
	boolean betweenTurns() {
		return this.activeResponseId == null && !this.callerSpeaking && !this.inputAwaitingAnswer;
	}

	/** Counts agent audio of an item; whether the connection produced audio of that item is then known. */
	void audio(String itemId, String payload) {
		if (!itemId.equals(this.audioItem)) {
			this.audioItem = itemId;
			this.audioItemBytes = 0;
		}
		this.audioItemBytes += Base64Audio.decodedLength(payload);
	}

	/** Whether this connection produced audio of that item (the last one it did). */
	boolean spoke(String itemId) {
		return itemId.equals(this.audioItem);
	}

	long audioMillis(String itemId) {
		return spoke(itemId) ? this.audioItemBytes / Base64Audio.BYTES_PER_MS : 0;
	}

	boolean isDropped(String responseId) {
		return responseId != null && responseId.equals(this.droppedResponseId);
	}

	/**
	 * A response in progress that goes silent (no upstream event for the response timeout) would
	 * leave the caller in dead air: checked while it lasts, from the last event's time.
	 */
	void watchResponse(String responseId) {
		Duration timeout = this.agent.openai().responseTimeout();
		this.events.schedule(() -> {
			if (this.closed || !responseId.equals(this.activeResponseId)) {
				return;
			}
			if (System.nanoTime() - this.lastEventNanos >= timeout.toNanos()) {
				lost("error", "response " + responseId + " went silent for " + timeout.toMillis() + " ms");
			}
			else {
				watchResponse(responseId);
			}
		}, timeout.minusNanos(System.nanoTime() - this.lastEventNanos));
	}

	/** Reports the connection lost, once; nothing is reported after it was closed. */
	void lost(String reason, String detail) {
		if (!this.closed) {
			this.owner.onLost(this, reason, detail);
		}
	}

	// ---- OkHttp's threads: hand over, nothing else ------------------------------------------

	@Override
	public void onOpen(WebSocket webSocket, Response response) {
		this.events.execute(this::opened);
	}

	@Override
	public void onMessage(WebSocket webSocket, String text) {
		// parsed on the reader's thread, handled in the call's order
		this.events.submit(this.onEvent, RealtimeEvents.read(text));
	}

	@Override
	public void onClosing(WebSocket webSocket, int code, String reason) {
		webSocket.close(1000, null);
		this.events.execute(() -> lost(this.sessionExpired ? "session_limit" : "dropped",
				"upstream closed the connection (" + code + ")"));
	}

	@Override
	public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
		int status = (response != null) ? response.code() : 0;
		String body = (response != null) ? errorBody(response) : null;
		this.events.execute(() -> failed(failure, status, body));
	}

	/** The start of a refusal's body, which tells Azure's errors from OpenAI's; never required. */
	private static String errorBody(Response response) {
		try {
			return response.peekBody(4096).string();
		}
		catch (IOException | IllegalStateException ex) {
			return null;
		}
	}

	// ---- the call's order -----------------------------------------------------------------------

	private void opened() {
		if (this.closed) {
			return;
		}
		this.open = true;
		Duration took = Duration.ofNanos(System.nanoTime() - this.connectStarted);
		this.agent.metrics().connected(took);
		log.info("[OpenAI] connected in {} ms{}", took.toMillis(), this.isRenewal ? " (renewal)" : "");
		if (this.sessionUpdate != null) {
			send(this.sessionUpdate);
			this.sessionUpdate = null;
		}
	}

	private void handle(ServerEvent event) {
		if (!this.closed) {
			this.lastEventNanos = System.nanoTime();
			this.owner.onEvent(this, event);
		}
	}

	private void connectTimedOut() {
		if (!this.closed && !this.open) {
			connectFailed("timeout", "no answer within " + this.agent.openai().connectTimeout().toMillis() + " ms");
		}
	}

	private void configurationTimedOut() {
		// a socket still connecting is the connect timeout's
		if (!this.closed && this.open && !this.configured) {
			lost("error", "OpenAI did not confirm the session configuration (session.updated) within "
					+ this.agent.openai().connectTimeout().toMillis() + " ms");
		}
	}

	private void failed(Throwable failure, int status, String body) {
		if (this.open) {
			lost(this.sessionExpired ? "session_limit" : "dropped", "upstream connection lost: " + failure);
		}
		else if (status != 0) {
			connectFailed((status >= 400 && status < 500) ? "rejected" : "error",
					"HTTP " + status + this.upstream.hint(status, body));
		}
		else {
			connectFailed((failure instanceof SocketTimeoutException) ? "timeout" : "error", failure.toString());
		}
	}

	private void connectFailed(String outcome, String detail) {
		if (this.closed) {
			return;
		}
		this.agent.metrics().connectFailed(outcome);
		log.warn("[OpenAI] connect failed ({}): {}; upstream {}", outcome, detail, this.upstream.describe());
		this.owner.onLost(this, "error", "OpenAI connect " + outcome + ": " + detail);
	}

}

package dev.voicebridge.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One WebSocket to a server that echoes text, such as voice-bridge's {@code /test-websocket}:
 * a Twilio {@code media} message every 20 ms, each identified by its audio as in
 * {@link FrameLog}, and every echo logged when it comes back. The server's greeting (its first
 * message) is skipped; it is also how {@link #open} knows the server answers.
 */
final class EchoConnection implements WebSocket.Listener {

	private final int index;

	private final String streamSid;

	private final FrameLog log;

	private final StringBuilder partial = new StringBuilder();

	private final Object sending = new Object();

	private final CompletableFuture<EchoConnection> greeted = new CompletableFuture<>();

	private CompletableFuture<WebSocket> tail;

	private int seq;

	volatile boolean closed;

	EchoConnection(int index, FrameLog log) {
		this.index = index;
		this.log = log;
		this.streamSid = String.format("MZ%032x", index + 1L);
	}

	/** Opens the socket; completes when the server's greeting has arrived. */
	CompletableFuture<EchoConnection> open(HttpClient http, URI uri) {
		return http.newWebSocketBuilder()
			.connectTimeout(Duration.ofSeconds(30))
			.buildAsync(uri, this)
			.thenCompose((ws) -> {
				synchronized (this.sending) {
					this.tail = CompletableFuture.completedFuture(ws);
				}
				return this.greeted;
			});
	}

	/** When the first frame is due: set as the pacing starts. */
	private volatile long firstDue;

	/**
	 * Starts the schedule: the first frame is due {@code delayMicros} from now, each next one
	 * 20 ms later, whenever the pacer actually runs (coordinated omission corrected).
	 */
	void paceFrom(long delayMicros) {
		this.firstDue = System.nanoTime() + delayMicros * 1_000L;
	}

	/** Sends the next message; called by a pacing thread. */
	void frame() {
		if (this.closed || this.seq >= this.log.capacity()) {
			return;
		}
		int n = this.seq++;
		String message = SimulatedCall.media(this.streamSid, this.index, n, n + 1);
		// timed from when the frame was due, not from when the pacer got to it: a pacer that
		// falls behind (the machine stalled) then shows in the latency instead of hiding it
		this.log.sent(this.index, n, this.firstDue + n * SimulatedCall.FRAME_NANOS);
		synchronized (this.sending) {
			// the JDK's WebSocket allows one outstanding send: queue behind the previous one
			this.tail = this.tail.thenCompose((ws) -> ws.sendText(message, true));
		}
	}

	CompletableFuture<WebSocket> close() {
		this.closed = true;
		synchronized (this.sending) {
			if (this.tail == null) {
				return CompletableFuture.completedFuture(null);
			}
			this.tail = this.tail.thenCompose((ws) -> ws.sendClose(WebSocket.NORMAL_CLOSURE, ""))
				.exceptionally((ex) -> null);
			return this.tail;
		}
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		long now = System.nanoTime();
		webSocket.request(1);
		String text;
		if (!last || !this.partial.isEmpty()) {
			this.partial.append(data);
			if (!last) {
				return null;
			}
			text = this.partial.toString();
			this.partial.setLength(0);
		}
		else {
			text = data.toString();
		}
		if (!this.greeted.isDone()) {
			this.greeted.complete(this);
			return null;
		}
		String payload = FrameLog.stringValue(text, "\"payload\":\"");
		// an echo that is not one of ours counts as unrecognised
		this.log.back((payload != null) ? payload : "", now);
		return null;
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.closed = true;
		this.greeted.completeExceptionally(new IllegalStateException("closed with " + statusCode + " " + reason));
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.closed = true;
		this.greeted.completeExceptionally(error);
	}

}

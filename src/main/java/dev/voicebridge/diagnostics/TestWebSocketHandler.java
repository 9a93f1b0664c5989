package dev.voicebridge.diagnostics;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.WriteBufferWaterMark;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;
import reactor.netty.Connection;

import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;

import dev.voicebridge.config.ClientAddress;
import dev.voicebridge.config.LimitsProperties;
import dev.voicebridge.config.NettyUpgrade;

/**
 * {@code /test-websocket}: proves that an upgrade reaches the app, with nothing else involved.
 * Greets, then echoes text. It needs no signature, so it is bounded for strangers: a few at a
 * time (one more is closed with 1013, try again later), each for a limited time (then 1000),
 * each with a budget of bytes a test never needs more of (then 1008), and a client whose echoes
 * back up past the buffer limit (beyond what the operating system's socket buffers hold) is
 * closed with 1008 as not reading. No thread ever waits on a client.
 */
class TestWebSocketHandler implements WebSocketHandler {

	private static final Logger log = LoggerFactory.getLogger(TestWebSocketHandler.class);

	static final String GREETING = "{\"status\":\"connected\",\"message\":\"WebSocket is working!\"}";

	/** Close codes (RFC 6455 §7.4.1; 1013 is IANA's "try again later"). */
	static final int TRY_AGAIN_LATER = 1013;

	static final int POLICY_VIOLATION = 1008;

	/** How long a closed client has to take the close frame before its connection is dropped. */
	static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

	/** How long a client that broke a limit must pause before its close goes out. */
	static final Duration QUIET = Duration.ofMillis(100);

	private final LimitsProperties.TestWebsocket limits;

	private final AtomicInteger open = new AtomicInteger();

	private final Counter refused;

	private final Counter expired;

	private final Counter notReading;

	private final Counter tooMuch;

	private final SocketWarmup warmup;

	TestWebSocketHandler(LimitsProperties.TestWebsocket limits, MeterRegistry meters, SocketWarmup warmup) {
		this.limits = limits;
		this.warmup = warmup;
		this.refused = closed(meters, "capacity");
		this.expired = closed(meters, "lifetime");
		this.notReading = closed(meters, "not_reading");
		this.tooMuch = closed(meters, "too_much");
	}

	private static Counter closed(MeterRegistry meters, String reason) {
		return Counter.builder("voicebridge.test.websocket.closed")
			.description("/test-websocket connections closed by a limit: too many at once, open too long, not reading")
			.tag("reason", reason)
			.register(meters);
	}

	@Override
	public Mono<Void> handle(WebSocketSession session) {
		if (this.warmup.isOwn(session.getHandshakeInfo().getHeaders(),
				ClientAddress.of(session.getHandshakeInfo().getRemoteAddress()))) {
			// the start-up warm-up, which sends more than any test, to the limit of what it warms
			return session.send(session.receive()
				.filter((message) -> message.getType() == WebSocketMessage.Type.TEXT)
				.map(TestWebSocketHandler::echo));
		}
		if (this.open.incrementAndGet() > this.limits.connections()) {
			this.open.decrementAndGet();
			this.refused.increment();
			return closeFirmly(session, new CloseStatus(TRY_AGAIN_LATER, "too many test connections"));
		}
		// echoes the client has not taken wait in the connection's outbound buffer: past the
		// limit it stops being writable, and a client that sends on regardless is not reading
		AtomicReference<Channel> channel = new AtomicReference<>();
		if (session instanceof NettyUpgrade.Session netty) {
			int limit = (int) Math.min(Integer.MAX_VALUE, this.limits.bufferLimit().toBytes());
			netty.withConnection((connection) -> {
				connection.channel().config().setWriteBufferWaterMark(new WriteBufferWaterMark(limit / 2, limit));
				channel.set(connection.channel());
			});
		}
		long maxBytes = this.limits.maxBytes().toBytes();
		AtomicLong received = new AtomicLong();
		Ending ending = new Ending(session, maxBytes);
		Flux<WebSocketMessage> echoes = session.receive()
			.filter((message) -> message.getType() == WebSocketMessage.Type.TEXT)
			.handle((WebSocketMessage message, SynchronousSink<WebSocketMessage> sink) -> {
				Channel connection = channel.get();
				long total = received.addAndGet(message.getPayload().readableByteCount());
				if (ending.begun()) {
					ending.heard(total);
					return;
				}
				if (total > maxBytes) {
					this.tooMuch.increment();
					ending.begin("more than a test sends");
				}
				else if (connection != null && !connection.isWritable()) {
					this.notReading.increment();
					ending.begin("not reading");
				}
				else {
					sink.next(echo(message));
				}
			});
		// the lifetime ends the connection with a close of its own; the echo then ends with the socket
		Disposable lifetime = Mono.delay(this.limits.lifetime()).subscribe((tick) -> {
			this.expired.increment();
			closeFirmly(session, new CloseStatus(CloseStatus.NORMAL.getCode(), "test connection lifetime over"))
				.subscribe();
		});
		return session.send(Flux.concat(Mono.fromSupplier(() -> session.textMessage(GREETING)), echoes))
			.onErrorResume((ex) -> {
				log.debug("[WebSocket] test connection {} ended: {}", session.getId(), ex.toString());
				return Mono.empty();
			})
			.doFinally((signal) -> {
				log.debug("[WebSocket] test connection {} closed ({})", session.getId(), signal);
				lifetime.dispose();
				this.open.decrementAndGet();
			});
	}

	/**
	 * The end of a connection that broke a limit: its close goes out once the client pauses
	 * ({@link #QUIET}), and meanwhile what comes is read and dropped. The server closes the socket
	 * as soon as its close frame is out, and a socket closed with bytes unread sends a reset,
	 * which the client may meet before the close frame. A client that sends on past a second
	 * budget, or for the whole grace, is closed at once, a reset or not.
	 */
	private static final class Ending {

		private final WebSocketSession session;

		private final long maxBytes;

		private final AtomicBoolean closing = new AtomicBoolean();

		private volatile CloseStatus status;

		private volatile long lastHeard;

		private long deadline;

		Ending(WebSocketSession session, long maxBytes) {
			this.session = session;
			this.maxBytes = maxBytes;
		}

		boolean begun() {
			return this.status != null;
		}

		void begin(String reason) {
			this.lastHeard = System.nanoTime();
			this.deadline = this.lastHeard + CLOSE_GRACE.toNanos();
			this.status = new CloseStatus(POLICY_VIOLATION, reason);
			closeWhenQuiet();
		}

		/** Another message while ending; {@code total} is every byte the connection has sent. */
		void heard(long total) {
			this.lastHeard = System.nanoTime();
			if (total > 2 * this.maxBytes) {
				close();
			}
		}

		private void closeWhenQuiet() {
			Mono.delay(QUIET).subscribe((tick) -> {
				long now = System.nanoTime();
				if (now - this.lastHeard >= QUIET.toNanos() || now - this.deadline >= 0) {
					close();
				}
				else if (!this.closing.get()) {
					closeWhenQuiet();
				}
			});
		}

		private void close() {
			if (this.closing.compareAndSet(false, true)) {
				closeFirmly(this.session, this.status).subscribe();
			}
		}

	}

	/** The message's own bytes, sent back as they came. */
	private static WebSocketMessage echo(WebSocketMessage message) {
		return new WebSocketMessage(WebSocketMessage.Type.TEXT, message.retain().getPayload());
	}

	/**
	 * Closes with a code; a client that reads nothing may never take the close frame, so the
	 * connection is dropped if it is still open a few seconds later.
	 */
	private static Mono<Void> closeFirmly(WebSocketSession session, CloseStatus status) {
		Mono.delay(CLOSE_GRACE).subscribe((tick) -> {
			if (session.isOpen() && session instanceof NettyUpgrade.Session netty) {
				netty.withConnection(Connection::dispose);
			}
		});
		return session.close(status).onErrorResume((ex) -> Mono.empty());
	}

}

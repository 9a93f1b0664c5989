package dev.voicebridge.media;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;

import dev.voicebridge.call.CallerLine;
import dev.voicebridge.config.BridgeProperties;
import dev.voicebridge.config.NettyUpgrade;
import dev.voicebridge.web.CloseCodes;

/**
 * A Twilio media stream as a {@link CallerLine}. Every message is written once, straight into a
 * pooled buffer of the socket's allocator (the agent's base64 is copied once, from its string to
 * the wire), and queued in order; the event loop sends them as the socket can take them. Bytes
 * queued and not yet taken are bounded: a stream whose reader stops is closed rather than
 * buffered without end. A close goes out after what was queued before it.
 */
final class TwilioLine implements CallerLine {

	private static final Logger log = LoggerFactory.getLogger(TwilioLine.class);

	/** Twilio sends audio every 20 ms; a minute of nothing is a dead stream. */
	static final Duration MAX_IDLE = Duration.ofSeconds(60);

	private final WebSocketSession session;

	private final DataBufferFactory buffers;

	/**
	 * Sends come from the call's loop, the close also from the event loop (the caller's close,
	 * the idle timeout): every emission holds {@link #emitting}, so they never overlap.
	 */
	private final Sinks.Many<WebSocketMessage> outbound = Sinks.unsafe().many().unicast().onBackpressureBuffer();

	private final Object emitting = new Object();

	private final AtomicLong queuedBytes = new AtomicLong();

	private final long queueLimit;

	private final Duration closeLimit;

	private byte[] mediaPrefix;

	private byte[] markPrefix;

	private byte[] clear;

	private volatile CloseStatus closing;

	private volatile boolean callerClosed;

	TwilioLine(WebSocketSession session, BridgeProperties.Media limits) {
		this.session = session;
		this.buffers = session.bufferFactory();
		this.queueLimit = limits.sendBufferLimit().toBytes();
		this.closeLimit = limits.sendTimeLimit();
		withConnection((connection) -> connection.onReadIdle(MAX_IDLE.toMillis(), () -> {
			log.info("[WebSocket] stream {} sent nothing for {} s; closing it", session.getId(), MAX_IDLE.toSeconds());
			close(CloseCodes.GOING_AWAY, "idle");
		}));
	}

	/**
	 * What goes to the caller, then the close: completes when the close is sent, or at once
	 * when the caller's side is gone.
	 */
	Mono<Void> sending() {
		return this.session
			.send(this.outbound.asFlux()
				.doOnNext((message) -> this.queuedBytes.addAndGet(-message.getPayload().readableByteCount()))
				.doOnDiscard(WebSocketMessage.class, WebSocketMessage::release))
			.onErrorResume((ex) -> Mono.empty())
			.then(Mono.defer(() -> this.callerClosed ? Mono.<Void>empty()
					: this.session.close((this.closing != null) ? this.closing : CloseStatus.NORMAL)))
			.onErrorResume((ex) -> Mono.empty());
	}

	/** The caller's side has closed: nothing more can be sent. */
	void callerClosed() {
		this.callerClosed = true;
		complete();
	}

	@Override
	public void begin(String streamSid) {
		String sid = TwilioMessageCodec.jsonString(streamSid);
		this.mediaPrefix = TwilioMessageCodec.mediaPrefix(sid).getBytes(StandardCharsets.UTF_8);
		this.markPrefix = TwilioMessageCodec.markPrefix(sid).getBytes(StandardCharsets.UTF_8);
		this.clear = TwilioMessageCodec.clear(sid).getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public void sendMedia(String payload) {
		if (this.mediaPrefix != null) {
			send(this.mediaPrefix, payload);
		}
	}

	@Override
	public void sendMark(String name) {
		if (this.markPrefix != null) {
			send(this.markPrefix, name);
		}
	}

	@Override
	public void sendClear() {
		if (this.clear != null) {
			send(this.clear, null);
		}
	}

	/** Writes prefix, ASCII value and the closing {@code "}}} into one buffer and queues it. */
	private void send(byte[] prefix, String value) {
		if (this.closing != null) {
			return;
		}
		int length = prefix.length + ((value != null) ? value.length() + TwilioMessageCodec.VALUE_SUFFIX.length : 0);
		DataBuffer buffer = this.buffers.allocateBuffer(length);
		buffer.write(prefix);
		if (value != null) {
			buffer.write(value, StandardCharsets.US_ASCII);
			buffer.write(TwilioMessageCodec.VALUE_SUFFIX);
		}
		long queued = this.queuedBytes.addAndGet(length);
		Sinks.EmitResult result;
		synchronized (this.emitting) {
			result = this.outbound.tryEmitNext(new WebSocketMessage(WebSocketMessage.Type.TEXT, buffer));
		}
		if (result.isFailure()) {
			this.queuedBytes.addAndGet(-length);
			DataBufferUtils.release(buffer);
			return;
		}
		if (queued > this.queueLimit) {
			// the caller's side stopped reading: end this stream alone, without waiting on it
			log.warn("[WebSocket] stream {} could not keep up ({} bytes queued, limit {}); closing it",
					this.session.getId(), queued, this.queueLimit);
			close(CloseCodes.POLICY_VIOLATION, "not reading");
			abort();
		}
	}

	/**
	 * Closes the stream once what was queued before is sent. A close that cannot go out (the
	 * socket is stuck) must not leave the caller on an open, silent stream: after the send time
	 * limit the connection is aborted, which Twilio sees as the stream ending all the same.
	 */
	@Override
	public void close(int code, String reason) {
		if (this.closing != null) {
			return;
		}
		this.closing = new CloseStatus(CloseCodes.sendable(code), reason);
		complete();
		Mono.delay(this.closeLimit).subscribe((tick) -> {
			if (this.session.isOpen()) {
				log.warn("[WebSocket] close of stream {} did not complete within {}; aborting the connection",
						this.session.getId(), this.closeLimit);
				abort();
			}
		});
	}

	private void complete() {
		synchronized (this.emitting) {
			this.outbound.tryEmitComplete();
		}
	}

	private void abort() {
		withConnection(Connection::dispose);
	}

	private void withConnection(Consumer<Connection> action) {
		if (this.session instanceof NettyUpgrade.Session netty) {
			netty.withConnection(action);
		}
	}

}

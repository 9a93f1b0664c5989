package dev.voicebridge.config;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * How many WebSocket connections may be open at once ({@code MAX_WEBSOCKET_CONNECTIONS}), and how
 * many new handshakes a second are taken from clients that did not prove they are Twilio. A
 * stream handshake whose signature was checked ({@link #SIGNED}) is never held to the rate:
 * a flood of strangers must not keep Twilio's own streams out. Refusals are the handshake's
 * (503, counted with the reason {@code capacity} or {@code rate}), before any socket is kept.
 */
public final class WebSocketLimits {

	/** Exchange attribute: the handshake carried a valid Twilio signature. */
	public static final String SIGNED = WebSocketLimits.class.getName() + ".signed";

	private final AtomicInteger open = new AtomicInteger();

	private final int connections;

	private final double perSecond;

	private final double burst;

	private double tokens;

	private long refilled = System.nanoTime();

	public WebSocketLimits(LimitsProperties limits, MeterRegistry meters) {
		this.connections = limits.websocketConnections();
		this.perSecond = limits.handshakesPerSecond();
		this.burst = limits.handshakeBurst();
		this.tokens = this.burst;
		Gauge.builder("voicebridge.websocket.connections", this.open, AtomicInteger::get)
			.description("WebSocket connections open now, streams and tests together")
			.register(meters);
	}

	/**
	 * A place for one connection, held until released (once), or a refusal: {@code capacity}
	 * when the connections are all in use, {@code rate} when an unsigned handshake comes too
	 * soon after the others.
	 */
	public final class Reservation {

		private final String refusal;

		private final AtomicBoolean released;

		Reservation(String refusal) {
			this.refusal = refusal;
			this.released = new AtomicBoolean(refusal != null);
		}

		/** Why there is no place, or null when there is one. */
		public String refusal() {
			return this.refusal;
		}

		public void release() {
			if (this.released.compareAndSet(false, true)) {
				WebSocketLimits.this.open.decrementAndGet();
			}
		}

	}

	/** Takes a place for a new connection, if there is one. */
	public Reservation reserve(boolean signed) {
		if (this.open.incrementAndGet() > this.connections) {
			this.open.decrementAndGet();
			return new Reservation("capacity");
		}
		if (!signed && !takeToken()) {
			this.open.decrementAndGet();
			return new Reservation("rate");
		}
		return new Reservation(null);
	}

	public int open() {
		return this.open.get();
	}

	private synchronized boolean takeToken() {
		long now = System.nanoTime();
		this.tokens = Math.min(this.burst, this.tokens + (now - this.refilled) / 1e9 * this.perSecond);
		this.refilled = now;
		if (this.tokens < 1) {
			return false;
		}
		this.tokens--;
		return true;
	}

}

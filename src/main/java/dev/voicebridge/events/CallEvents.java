package dev.voicebridge.events;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import dev.voicebridge.agent.Turn;
import dev.voicebridge.call.CallRecord;
import dev.voicebridge.call.CallRecordSink;
import dev.voicebridge.config.CallInsightProperties;
import dev.voicebridge.config.InvalidSettingException;
import dev.voicebridge.config.PrivacyProperties;
import dev.voicebridge.config.Secrets;

/**
 * Sends each finished call's record to {@code CALL_EVENTS_URL}, signed
 * ({@code X-VoiceBridge-Signature: t=SECONDS,v1=HMAC-SHA256 of "SECONDS.body"}), from a bounded
 * queue of its own, retrying with a doubling delay; without a URL, records go to the log at DEBUG.
 */
public class CallEvents implements CallRecordSink, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(CallEvents.class);

	static final String SIGNATURE_HEADER = "X-VoiceBridge-Signature";

	/** Failures in a row after which the receiver counts as down (named on /websocket-status). */
	static final int DOWN_AFTER = 3;

	static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(1);

	private static final MediaType JSON_TYPE = MediaType.get("application/json");

	private final URI url;

	private final byte[] secret;

	private final OkHttpClient http;

	private final JsonMapper json;

	private final CallInsightProperties properties;

	private final Clock clock;

	private final PrivacyProperties privacy;

	private final ArrayDeque<Pending> queue = new ArrayDeque<>();

	private final Thread sender;

	private final Counter delivered;

	private final Counter retried;

	private final Counter droppedFull;

	private final Counter droppedExpired;

	private volatile boolean closed;

	private volatile int failuresInARow;

	private volatile String lastError;

	private volatile Instant lastDelivered;

	public CallEvents(CallInsightProperties properties, OkHttpClient shared, JsonMapper json, MeterRegistry meters,
			Clock clock, PrivacyProperties privacy) {
		this.url = properties.eventsUrl();
		if (this.url != null && HttpUrl.parse(this.url.toString()) == null) {
			throw new InvalidSettingException("voicebridge.calls.events-url", "is not an http(s) URL OkHttp can call: "
					+ Secrets.withoutUserInfo(this.url.toString()));
		}
		this.privacy = privacy;
		this.secret = (properties.eventsSecret() != null) ? properties.eventsSecret().getBytes(StandardCharsets.UTF_8)
				: null;
		this.http = shared.newBuilder().callTimeout(properties.eventsTimeout()).build();
		this.json = json;
		this.properties = properties;
		this.clock = clock;
		this.delivered = outcome(meters, "delivered");
		this.retried = outcome(meters, "retried");
		this.droppedFull = outcome(meters, "dropped_full");
		this.droppedExpired = outcome(meters, "dropped_expired");
		Gauge.builder("voicebridge.call.events.pending", this.queue, (queue) -> pending())
			.description("Call records waiting for their receiver")
			.register(meters);
		if (this.url != null) {
			this.sender = new Thread(this::run, "voicebridge-call-events");
			this.sender.setDaemon(true);
			this.sender.start();
			log.info("[Events] call records go to {} (signed; at most {} waiting, each for at most {})",
					this.url.getScheme() + "://" + this.url.getHost(), properties.eventsMaxPending(),
					properties.eventsMaxAge());
		}
		else {
			this.sender = null;
		}
	}

	private static Counter outcome(MeterRegistry meters, String outcome) {
		return Counter.builder("voicebridge.call.events")
			.description("Call records: delivered, retried after a failed attempt, or dropped (queue full, too old)")
			.tag("outcome", outcome)
			.register(meters);
	}

	@Override
	public void publish(CallRecord record) {
		if (this.url == null) {
			if (log.isDebugEnabled()) {
				log.debug("[Events] call record {}", this.json.writeValueAsString(forLog(record)));
			}
			return;
		}
		synchronized (this.queue) {
			if (this.queue.size() >= this.properties.eventsMaxPending()) {
				this.queue.removeFirst();
				this.droppedFull.increment();
				log.warn("[Events] dropped the oldest waiting call record: {} are waiting for {}",
						this.properties.eventsMaxPending(), this.url.getHost());
			}
			this.queue.addLast(new Pending(record, this.clock.instant()));
			this.queue.notifyAll();
		}
	}

	private void run() {
		int attempt = 0;
		while (!this.closed) {
			Pending head;
			synchronized (this.queue) {
				while (this.queue.isEmpty() && !this.closed) {
					await(0);
				}
				if (this.closed) {
					return;
				}
				head = this.queue.peekFirst();
			}
			if (Duration.between(head.queuedAt(), this.clock.instant()).compareTo(this.properties.eventsMaxAge()) > 0) {
				remove(head);
				this.droppedExpired.increment();
				log.warn("[Events] gave up the record of callSid={}: {} did not take it within {}", head.record().callSid(),
						this.url.getHost(), this.properties.eventsMaxAge());
				attempt = 0;
				continue;
			}
			String failure = deliver(head.record());
			if (failure == null) {
				remove(head);
				this.delivered.increment();
				this.failuresInARow = 0;
				this.lastDelivered = this.clock.instant();
				attempt = 0;
				continue;
			}
			this.retried.increment();
			this.failuresInARow++;
			this.lastError = failure;
			Duration delay = retryDelay(attempt++);
			if (this.failuresInARow == 1 || this.failuresInARow == DOWN_AFTER) {
				log.warn("[Events] could not deliver the record of callSid={} to {}: {}; retrying in {} ms",
						head.record().callSid(), this.url.getHost(), failure, delay.toMillis());
			}
			// a record handed over meanwhile wakes the queue, not the retry: wait out the delay
			long retryAt = System.nanoTime() + delay.toNanos();
			synchronized (this.queue) {
				long left;
				while (!this.closed && (left = retryAt - System.nanoTime()) > 0) {
					await(Math.max(1, left / 1_000_000));
				}
			}
		}
	}

	/** A record as the log may show it: what was said only as LOG_TRANSCRIPTS allows. */
	private CallRecord forLog(CallRecord record) {
		if (this.privacy.logTranscripts()) {
			return record;
		}
		List<Turn> masked = record.transcript()
			.stream()
			.map((turn) -> new Turn(turn.speaker(), this.privacy.transcript(turn.text()), turn.cutOff()))
			.toList();
		return new CallRecord(record.type(), record.callSid(), record.streamSid(), record.profile(), record.plan(),
				record.mode(), record.agent(), record.outcome(), record.startedAt(), record.durationMs(), record.framesIn(),
				record.framesOut(), record.bargeIns(), record.keypadEntries(), masked, record.usage(),
				record.estimatedCost());
	}

	/** Doubling from the configured delay, up to a minute. */
	Duration retryDelay(int attempt) {
		Duration delay = this.properties.eventsRetryDelay().multipliedBy(1L << Math.min(attempt, 16));
		return (delay.compareTo(MAX_RETRY_DELAY) > 0) ? MAX_RETRY_DELAY : delay;
	}

	/** One attempt; null when the receiver took it (2xx), else why not. */
	private String deliver(CallRecord record) {
		byte[] body = this.json.writeValueAsBytes(record);
		long timestamp = this.clock.instant().getEpochSecond();
		Request request = new Request.Builder().url(this.url.toString())
			.header(SIGNATURE_HEADER, "t=" + timestamp + ",v1=" + sign(this.secret, timestamp, body))
			.header("X-VoiceBridge-Event", record.type())
			.header("User-Agent", "voice-bridge")
			.post(RequestBody.create(body, JSON_TYPE))
			.build();
		try (Response response = this.http.newCall(request).execute()) {
			return response.isSuccessful() ? null : "HTTP " + response.code();
		}
		catch (IOException | RuntimeException ex) {
			// a failed attempt, whatever failed: the sender thread must outlive it
			return ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? ": " + ex.getMessage() : "");
		}
	}

	/** The hex HMAC-SHA256 of {@code timestamp + "." + body}. */
	static String sign(byte[] secret, long timestamp, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret, "HmacSHA256"));
			mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
			return HexFormat.of().formatHex(mac.doFinal(body));
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException("HmacSHA256 is part of every JDK", ex);
		}
	}

	private void remove(Pending pending) {
		synchronized (this.queue) {
			this.queue.remove(pending);
		}
	}

	private void await(long millis) {
		try {
			this.queue.wait(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.closed = true;
		}
	}

	int pending() {
		synchronized (this.queue) {
			return this.queue.size();
		}
	}

	/** What {@code /websocket-status} shows: where records go (the host), and whether they get there. */
	public Status status() {
		return new Status(this.url != null, (this.url != null) ? this.url.getHost() : null, pending(),
				(long) this.delivered.count(), this.failuresInARow >= DOWN_AFTER, this.failuresInARow, this.lastError,
				this.lastDelivered);
	}

	@Override
	public void close() {
		this.closed = true;
		synchronized (this.queue) {
			this.queue.notifyAll();
		}
		int left = pending();
		if (left > 0) {
			log.warn("[Events] {} call record(s) were still waiting for {} at shutdown", left, this.url.getHost());
		}
	}

	/**
	 * The records' delivery: {@code receiverDown} after {@value #DOWN_AFTER} failures in a row.
	 */
	public record Status(boolean configured, String host, int pending, long delivered, boolean receiverDown,
			int failuresInARow, String lastError, Instant lastDelivered) {
	}

	private record Pending(CallRecord record, Instant queuedAt) {
	}

}

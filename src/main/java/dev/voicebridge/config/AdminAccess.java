package dev.voicebridge.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Who holds {@code ADMIN_TOKEN}: compared in constant time, and guessed at most
 * {@code voicebridge.limits.admin-failures} times a minute from one client address (the
 * client's own behind a trusted proxy). Past that, the address is refused for the rest of the
 * minute, the right token included, so that guessing gains nothing from speed.
 */
public final class AdminAccess {

	private static final Logger log = LoggerFactory.getLogger(AdminAccess.class);

	/** Addresses tracked at once; beyond, the longest quiet go. */
	static final int TRACKED = 10_000;

	private static final long MINUTE = 60_000;

	/** What a request's {@code Authorization} header amounts to. */
	public enum Verdict {

		/** There is no admin token: admin endpoints do not exist. */
		NOT_CONFIGURED,

		/** The right bearer token. */
		GRANTED,

		/** No bearer token at all. */
		MISSING,

		/** A bearer token, not the admin token. */
		WRONG,

		/** Too many wrong tokens from this address this minute. */
		THROTTLED

	}

	private final byte[] token;

	private final int failuresPerMinute;

	private final Clock clock;

	private final Map<String, long[]> failures = new LinkedHashMap<>(64, 0.75f, true);

	private final Counter wrong;

	private final Counter throttled;

	public AdminAccess(String adminToken, int failuresPerMinute, Clock clock, MeterRegistry meters) {
		this.token = (adminToken != null) ? adminToken.getBytes(StandardCharsets.UTF_8) : null;
		this.failuresPerMinute = failuresPerMinute;
		this.clock = clock;
		this.wrong = refusals(meters, "wrong");
		this.throttled = refusals(meters, "throttled");
	}

	private static Counter refusals(MeterRegistry meters, String reason) {
		return Counter.builder("voicebridge.admin.refusals")
			.description("Requests refused for a wrong admin token, or throttled after too many from one address")
			.tag("reason", reason)
			.register(meters);
	}

	public boolean configured() {
		return this.token != null;
	}

	/** Checks a request's bearer token; a wrong one counts against its address. */
	public Verdict check(ServerHttpRequest request) {
		if (this.token == null) {
			return Verdict.NOT_CONFIGURED;
		}
		String header = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		if (header == null || !header.startsWith("Bearer ")) {
			return Verdict.MISSING;
		}
		String address = String.valueOf(ClientAddress.of(request.getRemoteAddress()));
		long now = this.clock.millis();
		synchronized (this.failures) {
			long[] window = this.failures.get(address);
			if (window != null && now - window[0] < MINUTE && window[1] >= this.failuresPerMinute) {
				this.throttled.increment();
				return Verdict.THROTTLED;
			}
		}
		byte[] presented = header.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8);
		if (MessageDigest.isEqual(this.token, presented)) {
			return Verdict.GRANTED;
		}
		this.wrong.increment();
		synchronized (this.failures) {
			long[] window = this.failures.get(address);
			if (window == null || now - window[0] >= MINUTE) {
				window = new long[] { now, 0 };
				this.failures.put(address, window);
			}
			if (++window[1] == this.failuresPerMinute) {
				log.warn("[Admin] {} wrong admin tokens from {} within a minute: refusing it until the minute is over",
						window[1], address);
			}
			while (this.failures.size() > TRACKED) {
				this.failures.remove(this.failures.keySet().iterator().next());
			}
		}
		return Verdict.WRONG;
	}

	/** Whether the request carries the admin token; false without one, or for a throttled address. */
	public boolean grants(ServerHttpRequest request) {
		return check(request) == Verdict.GRANTED;
	}

}

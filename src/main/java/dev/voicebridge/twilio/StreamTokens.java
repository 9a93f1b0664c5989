package dev.voicebridge.twilio;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.voicebridge.call.StreamAdmission;

/**
 * Binds a stream to the call its webhook answered. The voice webhook hands the stream a token as
 * a {@code <Parameter>}: when it expires, and an HMAC-SHA256 over the call's {@code CallSid},
 * {@code AccountSid} and that time. At {@code start}, the stream's own {@code callSid} and
 * {@code accountSid} must give the same HMAC, before the expiry, once. The key is derived from
 * the auth token, so every instance behind one number checks what any of them issued, and a
 * leaked handshake signature (which is the same for every call) opens nothing by itself.
 */
public final class StreamTokens implements StreamAdmission {

	/** The custom parameter that carries the token. */
	public static final String PARAMETER = "streamToken";

	/** Tokens seen, kept until they expire; beyond this many the oldest go. */
	static final int REMEMBERED = 100_000;

	private static final String ALGORITHM = "HmacSHA256";

	private final SecretKeySpec key;

	private final Duration ttl;

	private final Clock clock;

	/** Token to its expiry, in the order they were used; read and written under its own lock. */
	private final Map<String, Long> used = new LinkedHashMap<>();

	public StreamTokens(String authToken, Duration ttl, Clock clock) {
		this.key = new SecretKeySpec(hmac(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), ALGORITHM),
				"voice-bridge stream token v1"), ALGORITHM);
		this.ttl = ttl;
		this.clock = clock;
	}

	/** The token for a call a webhook is answering now. */
	public String issue(String callSid, String accountSid) {
		long expires = this.clock.instant().plus(this.ttl).getEpochSecond();
		return expires + "." + mac(callSid, accountSid, expires);
	}

	@Override
	public String refusal(String callSid, String accountSid, Map<String, String> parameters) {
		String token = parameters.get(PARAMETER);
		if (token == null) {
			return "no-token";
		}
		int dot = token.indexOf('.');
		long expires;
		try {
			expires = Long.parseLong(token.substring(0, Math.max(dot, 0)));
		}
		catch (NumberFormatException ex) {
			return "bad-token";
		}
		byte[] expected = mac(callSid, accountSid, expires).getBytes(StandardCharsets.US_ASCII);
		byte[] presented = token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
		if (callSid == null || !MessageDigest.isEqual(expected, presented)) {
			return "bad-token";
		}
		long now = this.clock.instant().getEpochSecond();
		if (expires < now) {
			return "expired";
		}
		synchronized (this.used) {
			// used in order and all with the same lifetime: the expired ones are at the head
			Iterator<Long> oldest = this.used.values().iterator();
			while (oldest.hasNext() && oldest.next() < now) {
				oldest.remove();
			}
			if (this.used.putIfAbsent(token, expires) != null) {
				return "reused";
			}
			if (this.used.size() > REMEMBERED) {
				this.used.remove(this.used.keySet().iterator().next());
			}
		}
		return null;
	}

	private String mac(String callSid, String accountSid, long expires) {
		String message = nullToEmpty(callSid) + "\n" + nullToEmpty(accountSid) + "\n" + expires;
		return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(this.key, message));
	}

	private static String nullToEmpty(String value) {
		return (value != null) ? value : "";
	}

	private static byte[] hmac(SecretKeySpec key, String message) {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(key);
			return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is part of every JDK", ex);
		}
	}

}

package dev.voicebridge.diagnostics;

import java.time.Instant;
import java.util.Locale;


/**
 * One HTTP request that reached a WebSocket path (or asked to upgrade anywhere), with the
 * headers that decide an upgrade as the app saw them, and how the handshake went.
 *
 * @param time when it arrived
 * @param method the HTTP method
 * @param path the request path
 * @param protocol the HTTP version the app received
 * @param upgrade the {@code Upgrade} header, or null when a proxy dropped it
 * @param connection the {@code Connection} header
 * @param forwardedProto {@code X-Forwarded-Proto}
 * @param forwardedHost {@code X-Forwarded-Host}
 * @param forwardedFor {@code X-Forwarded-For} as it reached the app, before a trusted proxy's was applied
 * @param client the caller's address as resolved from trusted forwarded headers
 * @param userAgent {@code User-Agent} (the doctor marks its own attempts here)
 * @param signed whether an {@code X-Twilio-Signature} was present (its value is never kept); null when hidden
 * @param status the HTTP status answered (101 when upgraded)
 * @param outcome {@code accepted} or {@code rejected}
 * @param reason why it was rejected ({@code ok} when accepted)
 */
public record UpgradeAttempt(Instant time, String method, String path, String protocol, String upgrade,
		String connection, String forwardedProto, String forwardedHost, String forwardedFor, String client, String userAgent,
		Boolean signed, int status, String outcome, String reason) {

	/**
	 * The attempt as anyone may see it: without who sent it (address, forwarded-for, User-Agent)
	 * or whether it was signed, which would tell a stranger whether signatures are checked. The
	 * doctor's own User-Agent stays: it names a probe, not a person, and is how the doctor finds
	 * its attempt.
	 */
	UpgradeAttempt withoutClient() {
		String probe = (this.userAgent != null && this.userAgent.startsWith(Doctor.AGENT))
				? this.userAgent : null;
		return new UpgradeAttempt(this.time, this.method, this.path, this.protocol, this.upgrade, this.connection,
				this.forwardedProto, this.forwardedHost, null, null, probe, null, this.status, this.outcome, this.reason);
	}

	boolean upgradeRequested() {
		return this.upgrade != null && this.upgrade.toLowerCase(Locale.ROOT).contains("websocket");
	}

}

package dev.voicebridge.diagnostics;

import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stream failure Twilio reported over its status callback, with the meaning of its error code.
 *
 * @param time when the report arrived
 * @param callSid the call; null when hidden
 * @param code Twilio's error code (e.g. 31920), or 0 when the text carried none
 * @param error Twilio's {@code StreamError} text
 * @param meaning what the code means for this service, in plain words
 */
public record StreamErrorReport(Instant time, String callSid, int code, String error, String meaning) {

	private static final Pattern CODE = Pattern.compile("\\b(3\\d{4})\\b");

	/** Twilio's Media Streams error codes, as they bear on a WebSocket relay. */
	static final Map<Integer, String> MEANINGS = Map.of(31901,
			"connection timeout: Twilio got no answer from the Stream URL (wrong host, firewall, or a tunnel or proxy not forwarding)",
			31910, "the Stream URL is invalid or not reachable as given (it must be wss:// with no query string)",
			31920,
			"handshake error: the Stream URL answered the upgrade with something other than 101 (wrong path, a proxy dropping Upgrade, or a query string)",
			31921, "the server closed the stream's WebSocket", 31922,
			"the Stream URL or its scheme is wrong (Twilio accepts only wss://)", 31924,
			"protocol error: a message sent back to Twilio was not a valid media, mark or clear", 31951,
			"a message on the stream was malformed");

	/** The report as anyone may see it: without the CallSid. */
	StreamErrorReport withoutCallSid() {
		return new StreamErrorReport(this.time, null, this.code, this.error, this.meaning);
	}

	static StreamErrorReport of(Instant time, String callSid, String error) {
		String text = (error != null) ? error : "";
		Matcher matcher = CODE.matcher(text);
		int code = matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
		return new StreamErrorReport(time, callSid, code, text,
				MEANINGS.getOrDefault(code, "see twilio.com/docs/api/errors for this code"));
	}

}

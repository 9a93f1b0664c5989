package dev.voicebridge.call;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.voicebridge.agent.Turn;

/**
 * What one call was, as data another system can use: built once at its end, in stream or
 * traditional mode, and sent to {@code CALL_EVENTS_URL}. Its JSON shape is
 * {@code docs/call-event.schema.json}; digits never appear in it.
 *
 * @param type always {@code call.ended}
 * @param callSid Twilio's call
 * @param streamSid the media stream, or null in traditional mode
 * @param profile the call's profile
 * @param plan its plan, or null
 * @param mode {@code stream} or {@code traditional}
 * @param agent {@code openai}, {@code echo} or {@code traditional}
 * @param outcome how it ended, as {@code voicebridge_calls_total} tags it
 * @param startedAt when it started
 * @param durationMs how long it took
 * @param framesIn caller audio frames relayed
 * @param framesOut agent audio frames relayed
 * @param bargeIns times the caller cut the agent off
 * @param keypadEntries keypad entries the caller made
 * @param transcript the turns, as the caller heard them
 * @param usage tokens by kind
 * @param estimatedCost from the configured prices, or null without a price for the call's model
 */
public record CallRecord(String type, String callSid, String streamSid, String profile, String plan, String mode,
		String agent, String outcome, Instant startedAt, long durationMs, long framesIn, long framesOut, long bargeIns,
		int keypadEntries, List<Turn> transcript, Map<String, Long> usage, Cost estimatedCost) {

	public static final String TYPE = "call.ended";

	/** An estimate from the configured price table. */
	public record Cost(double amount, String currency) {
	}

}

package dev.voicebridge.call;

import java.util.Map;

/**
 * Whether a stream's {@code start} belongs to a call this service handed a Stream URL: a stream
 * that is not refused talks to the agent, and the agent's tools act on its call.
 */
@FunctionalInterface
public interface StreamAdmission {

	/** Admits every stream: signatures are off, or nothing is spent. */
	StreamAdmission OPEN = (callSid, accountSid, parameters) -> null;

	/**
	 * Why a start is refused, as a short tag that is counted and logged, or null to admit it.
	 *
	 * @param parameters the start's custom parameters, as the webhook's TwiML handed them out
	 */
	String refusal(String callSid, String accountSid, Map<String, String> parameters);

}

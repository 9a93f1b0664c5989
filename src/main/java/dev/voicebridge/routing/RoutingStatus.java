package dev.voicebridge.routing;

/**
 * The {@code routing} part of {@code /websocket-status}.
 *
 * @param mode what new calls get now: {@code stream}, {@code traditional} or {@code mixed}
 * @param reason why: {@code probability}, {@code breaker} or {@code draining}
 * @param realtimeProbability the share of new calls that use the stream
 * @param probabilitySource {@code REALTIME_PROBABILITY} or {@code admin} (set at run time)
 * @param breaker the stream breaker
 * @param sharedState where routing and conversation state live: {@code memory} or {@code redis}
 */
public record RoutingStatus(String mode, String reason, double realtimeProbability, String probabilitySource,
		Breaker breaker, String sharedState) {

	/**
	 * @param state {@code open} or {@code closed}
	 * @param consecutiveFailures stream failures in the current run (-1 when unreadable)
	 * @param failuresToOpen failures in a row that open it
	 * @param window how close together they must be
	 * @param trialEvery while open, one new call in this many still tries the stream
	 * @param lastFailure what this instance last counted as a failure: {@code stream} (Twilio's
	 * stream failed or never started) or {@code agent} (the upstream failed); null before any
	 */
	public record Breaker(String state, long consecutiveFailures, int failuresToOpen, String window, int trialEvery,
			String lastFailure) {
	}

}

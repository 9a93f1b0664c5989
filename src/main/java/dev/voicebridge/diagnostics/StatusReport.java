package dev.voicebridge.diagnostics;

import java.util.List;

import dev.voicebridge.routing.RoutingStatus;

/**
 * Everything {@code /websocket-status} answers and {@code /status} draws.
 *
 * @param publicUrl the public base URL (configured, or as this request saw it)
 * @param publicUrlSource {@code PUBLIC_URL} or {@code request}
 * @param streamUrl the Stream URL a webhook would hand out now
 * @param agent {@code echo} or {@code openai}
 * @param signatureChecks whether Twilio's signatures are checked
 * @param routes registered HTTP and WebSocket routes
 * @param funnel the counts since start-up
 * @param recentAttempts the last upgrade attempts, newest first
 * @param streamErrors the last stream errors Twilio reported, newest first
 * @param diagnosis the findings
 * @param routing the mode new calls get and why, and the stream breaker
 */
public record StatusReport(String publicUrl, String publicUrlSource, String streamUrl, String agent,
		boolean signatureChecks, Routes routes, FunnelSnapshot funnel, List<UpgradeAttempt> recentAttempts,
		List<StreamErrorReport> streamErrors, List<Finding> diagnosis, RoutingStatus routing) {

	/** Routes the app really registered. */
	public record Routes(List<String> http, List<String> websocket) {
	}

}

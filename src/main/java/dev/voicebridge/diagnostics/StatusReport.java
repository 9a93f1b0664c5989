package dev.voicebridge.diagnostics;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.voicebridge.events.CallEvents;
import dev.voicebridge.routing.RoutingStatus;

/**
 * Everything {@code /websocket-status} answers and {@code /status} draws.
 *
 * @param publicUrl the public base URL (configured, or as this request saw it)
 * @param publicUrlSource {@code PUBLIC_URL} or {@code request}
 * @param streamUrl the Stream URL a webhook would hand out now
 * @param agent {@code echo} or {@code openai}
 * @param signatureChecks whether Twilio's signatures are checked; null for the public audience
 * @param routes registered HTTP and WebSocket routes
 * @param funnel the counts since start-up
 * @param recentAttempts the last upgrade attempts, newest first
 * @param streamErrors the last stream errors Twilio reported, newest first
 * @param diagnosis the findings
 * @param routing the mode new calls get and why, and the stream breaker
 * @param upstream where the default profile's agent runs (never the key)
 * @param profiles the profiles in force, the last reload, and the calls in progress by profile
 * @param callEvents where call records go (the host only) and whether they get there
 * @param audience {@code admin} (the admin token was sent, or {@code DIAGNOSTICS_PUBLIC=true}): all of it;
 * {@code public}: without client addresses, User-Agents, CallSids and the signature flag
 */
public record StatusReport(String publicUrl, String publicUrlSource, String streamUrl, String agent,
		Boolean signatureChecks, Routes routes, FunnelSnapshot funnel, List<UpgradeAttempt> recentAttempts,
		List<StreamErrorReport> streamErrors, List<Finding> diagnosis, RoutingStatus routing,
		UpstreamStatus upstream, ProfilesStatus profiles, CallEvents.Status callEvents, String audience) {

	/** What the public audience is shown instead of what it may not see. */
	static final String PUBLIC = "public";

	static final String ADMIN = "admin";

	/** The upstream's kind ({@code openai}, {@code azure}, {@code custom}), host, auth and model. */
	public record UpstreamStatus(String kind, String host, String auth, String model) {
	}

	/**
	 * The profiles: the file (null without one), the ids in force, the default, how the last
	 * load or reload went (with its error when refused), and calls in progress by profile.
	 */
	public record ProfilesStatus(String file, List<String> ids, String defaultProfile, String lastReload,
			String error, Instant at, Map<String, Long> activeCalls) {
	}

	/** Routes the app really registered. */
	public record Routes(List<String> http, List<String> websocket) {
	}

}

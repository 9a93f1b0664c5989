package dev.voicebridge.diagnostics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The call funnel since start-up, stage by stage: each stage should roughly equal the one before.
 *
 * @param webhooks voice webhooks answered with a Stream URL
 * @param upgradeAttempts requests to {@code /twilio-media} that asked to upgrade
 * @param upgradeMissing requests to {@code /twilio-media} without an {@code Upgrade} header
 * @param handshakesAccepted stream handshakes accepted
 * @param handshakesRejected stream handshakes rejected
 * @param streamsStarted streams whose {@code start} arrived
 * @param streamsMissing calls handed a Stream URL that never got a stream
 * @param upstreamConnected OpenAI connections opened
 * @param upstreamFailed OpenAI connections that failed to open
 * @param rejectedByReason rejected handshakes by reason
 * @param upstreamFailedByOutcome failed OpenAI connections by outcome
 */
public record FunnelSnapshot(long webhooks, long upgradeAttempts, long upgradeMissing, long handshakesAccepted,
		long handshakesRejected, long streamsStarted, long streamsMissing, long upstreamConnected,
		long upstreamFailed, Map<String, Long> rejectedByReason, Map<String, Long> upstreamFailedByOutcome) {

	/** The first numbers, in the order the funnel draws them. */
	Map<String, Long> stages() {
		var stages = new LinkedHashMap<String, Long>();
		stages.put("webhooks", this.webhooks);
		stages.put("upgradeAttempts", this.upgradeAttempts);
		stages.put("handshakesAccepted", this.handshakesAccepted);
		stages.put("streamsStarted", this.streamsStarted);
		stages.put("upstreamConnected", this.upstreamConnected);
		return stages;
	}

}

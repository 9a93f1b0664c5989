package dev.voicebridge.diagnostics;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.voicebridge.web.TwilioRoutes;


/**
 * Turns the funnel, the recent attempts and Twilio's reports into findings: which link of the
 * chain from Twilio to OpenAI is broken, the evidence, and the fix. Pure: no state, no I/O.
 */
final class DiagnosisRules {

	private DiagnosisRules() {
	}

	/**
	 * What the rules look at.
	 *
	 * @param funnel counts since start-up
	 * @param streamErrors Twilio's recent stream errors, newest first
	 * @param attempts recent upgrade attempts, newest first
	 * @param publicUrl {@code PUBLIC_URL} when set, else null
	 * @param streamUrl the Stream URL handed out (for a request like the status request's own)
	 */
	record Input(FunnelSnapshot funnel, List<StreamErrorReport> streamErrors, List<UpgradeAttempt> attempts,
			URI publicUrl, String streamUrl) {
	}

	static List<Finding> diagnose(Input input) {
		List<Finding> findings = new ArrayList<>();
		publicUrl(input, findings);
		FunnelSnapshot funnel = input.funnel();
		boolean nothingReachedMedia = funnel.upgradeAttempts() == 0 && funnel.upgradeMissing() == 0;
		if (funnel.webhooks() > 0 && nothingReachedMedia) {
			findings.add(new Finding("upgrades-not-reaching-app", "error",
					"Twilio reached the webhook, but no WebSocket request ever reached the app.",
					funnel.webhooks() + " webhook(s) answered with Stream URL " + input.streamUrl()
							+ ", 0 requests to /twilio-media" + errorCodes(input.streamErrors()) + ".",
					"Check that Twilio can open " + input.streamUrl() + ": the host must be this service's public host "
							+ "with wss:// and no query string, and the edge in front must route /twilio-media to the app "
							+ "with WebSocket upgrades enabled. Run `java -jar voice-bridge.jar doctor "
							+ base(input.streamUrl()) + "` to see where the upgrade dies."));
		}
		if (funnel.upgradeMissing() > 0) {
			findings.add(new Finding("upgrade-headers-stripped", "error",
					"Requests reach /twilio-media without their Upgrade header: a proxy in front drops Upgrade/Connection "
							+ "or speaks HTTP/2 to the app.",
					funnel.upgradeMissing() + " of " + (funnel.upgradeMissing() + funnel.upgradeAttempts())
							+ " request(s) to /twilio-media had no Upgrade header" + lastStripped(input.attempts()) + ".",
					"Make the proxy forward the upgrade over HTTP/1.1. nginx: `proxy_http_version 1.1; "
							+ "proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection \"upgrade\";`. "
							+ "HAProxy: no `proto h2` to the backend and `timeout tunnel 1h`. See docs/proxy/."));
		}
		Map<String, Long> rejected = funnel.rejectedByReason();
		if (rejected.getOrDefault("signature", 0L) > 0) {
			findings.add(new Finding("handshake-signature-rejected", "error",
					"Stream handshakes are rejected because X-Twilio-Signature does not match: Twilio signed a different "
							+ "URL than the one this service checks.",
					rejected.get("signature") + " handshake(s) rejected for signature; this service checks against "
							+ input.streamUrl() + ".",
					"Set PUBLIC_URL to exactly the https:// origin Twilio calls (the host in your Twilio console), or make "
							+ "the proxy send X-Forwarded-Proto and X-Forwarded-Host."));
		}
		long otherRejections = rejected.entrySet()
			.stream()
			.filter((entry) -> !entry.getKey().equals("signature") && !entry.getKey().equals("not_upgrade"))
			.mapToLong(Map.Entry::getValue)
			.sum();
		if (otherRejections > 0) {
			findings.add(new Finding("handshakes-rejected", "warning", "Some stream handshakes were refused.",
					"Rejections by reason: " + rejected + ".",
					"unknown_path: the Stream URL's path must be exactly /twilio-media. bad_handshake: the client did "
							+ "not send a valid WebSocket handshake (a proxy may rewrite it). draining: the instance was "
							+ "shutting down."));
		}
		if (!input.streamErrors().isEmpty()) {
			StreamErrorReport latest = input.streamErrors().get(0);
			findings.add(new Finding("twilio-stream-errors", "error",
					"Twilio reported that streams failed" + ((latest.code() != 0) ? " (latest: " + latest.code() + ")" : "")
							+ ".",
					input.streamErrors().size() + " recent stream error(s); latest: \"" + latest.error() + "\": "
							+ latest.meaning() + ".",
					fixFor(latest.code())));
		}
		if (funnel.streamsMissing() > 0) {
			findings.add(new Finding("streams-missing", "error",
					"Calls were handed a Stream URL but no stream started for them.",
					funnel.streamsMissing() + " call(s) without a stream within the grace period; " + funnel.streamsStarted()
							+ " stream(s) started in all.",
					"Those callers heard silence or the fallback. Compare upgradeAttempts with webhooks: if upgrades are "
							+ "missing, the edge is not forwarding /twilio-media; run the doctor against the public URL."));
		}
		if (funnel.upstreamFailed() > 0) {
			findings.add(new Finding("upstream-connect-failures", "error", "Connections to OpenAI failed.",
					"Failed connects by outcome: " + funnel.upstreamFailedByOutcome() + "; " + funnel.upstreamConnected()
							+ " succeeded.",
					"rejected: check OPENAI_API_KEY, the project's Realtime access and OPENAI_MODEL. timeout or error: "
							+ "check outbound network access to OPENAI_REALTIME_URL. Callers got the fallback message."));
		}
		if (findings.stream().noneMatch((finding) -> !finding.severity().equals("info"))) {
			findings.add(allClear(funnel));
		}
		return findings;
	}

	private static void publicUrl(Input input, List<Finding> findings) {
		URI url = input.publicUrl();
		if (url == null) {
			return;
		}
		if ("http".equals(url.getScheme())) {
			findings.add(new Finding("public-url-not-https", "warning", "PUBLIC_URL uses http://.",
					"PUBLIC_URL=" + url + ".",
					"Twilio opens Media Streams only over wss:// and signs the https:// URL: set PUBLIC_URL to the https:// "
							+ "origin."));
		}
		boolean hasPath = url.getRawPath() != null && !url.getRawPath().isEmpty() && !url.getRawPath().equals("/");
		if (hasPath || url.getRawQuery() != null) {
			findings.add(new Finding("public-url-has-path-or-query", "warning",
					"PUBLIC_URL carries a path or a query.", "PUBLIC_URL=" + url + ".",
					"Set PUBLIC_URL to the origin only (scheme and host, e.g. https://my-app.example.com) unless a proxy "
							+ "really serves the app under that path; a query string is never valid on the Stream URL."));
		}
	}

	private static Finding allClear(FunnelSnapshot funnel) {
		if (funnel.webhooks() == 0) {
			return new Finding("no-calls-yet", "info", "No call has reached the webhook since start-up.",
					"0 webhooks, " + funnel.upgradeAttempts() + " upgrade attempt(s).",
					"Set your Twilio number's voice webhook to https://YOUR-HOST/twilio/voice (HTTP POST) and place a "
							+ "call, or run the doctor against your public URL.");
		}
		return new Finding("all-clear", "ok", "Every link of the chain works: webhooks lead to streams.",
				funnel.webhooks() + " webhook(s), " + funnel.upgradeAttempts() + " upgrade(s), "
						+ funnel.streamsStarted() + " stream(s) started.",
				"Nothing to do.");
	}

	private static String errorCodes(List<StreamErrorReport> errors) {
		String codes = errors.stream()
			.filter((error) -> error.code() != 0)
			.map((error) -> Integer.toString(error.code()))
			.distinct()
			.collect(Collectors.joining(", "));
		return codes.isEmpty() ? "" : "; Twilio reported error(s) " + codes;
	}

	private static String lastStripped(List<UpgradeAttempt> attempts) {
		return attempts.stream()
			.filter((attempt) -> !attempt.upgradeRequested() && attempt.path().equals(TwilioRoutes.MEDIA))
			.findFirst()
			.map((attempt) -> "; the latest arrived as " + attempt.protocol() + " with Connection: "
					+ ((attempt.connection() != null) ? attempt.connection() : "(none)")
					+ ((attempt.client() != null) ? " from " + attempt.client() : ""))
			.orElse("");
	}

	private static String fixFor(int code) {
		return switch (code) {
			case 31920 -> "The Stream URL did not answer the upgrade with 101: check its path is /twilio-media, that it has "
					+ "no query string, and that the proxy forwards Upgrade/Connection (see upgrade-headers-stripped).";
			case 31901 -> "Twilio got no answer: check the Stream URL's host is public, port 443 is open, and any tunnel "
					+ "or proxy forwards to the app.";
			case 31910, 31922 -> "Use a wss:// Stream URL without a query string: set PUBLIC_URL to the https:// origin.";
			default -> "Look the code up at twilio.com/docs/api/errors and compare with the recent attempts below.";
		};
	}

	private static String base(String streamUrl) {
		return streamUrl.replaceFirst("^wss://", "https://").replaceFirst("^ws://", "http://").replaceFirst("/twilio-media$", "");
	}

}

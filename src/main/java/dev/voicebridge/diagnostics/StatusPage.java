package dev.voicebridge.diagnostics;

import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.springframework.web.util.HtmlUtils;

/**
 * {@code /status} for a person: one self-contained HTML page, no scripts or frameworks, that draws
 * the funnel as bars and lists the findings in plain words.
 */
final class StatusPage {

	private static final Map<String, String> STAGE_LABELS = Map.of("webhooks", "Webhooks answered", "upgradeAttempts",
			"WebSocket upgrades reaching the app", "handshakesAccepted", "Handshakes accepted", "streamsStarted",
			"Streams started", "upstreamConnected", "OpenAI connections");

	private StatusPage() {
	}

	static String render(StatusReport report) {
		StringBuilder html = new StringBuilder(8192);
		html.append("""
				<!doctype html>
				<html lang="en"><head><meta charset="utf-8">
				<meta name="viewport" content="width=device-width, initial-scale=1">
				<title>voice-bridge status</title>
				<style>
				body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d232b}
				h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
				.bar{display:grid;grid-template-columns:18rem 1fr 4rem;gap:.5rem;align-items:center;margin:.3rem 0}
				.track{background:#eef1f4;border-radius:3px;height:1.1rem}
				.fill{background:#2f6fdf;height:100%;border-radius:3px}
				.finding{border-left:5px solid #999;padding:.5rem .8rem;margin:.7rem 0;background:#fafbfc}
				.error{border-color:#d33}.warning{border-color:#e90}.ok{border-color:#2a2}.info{border-color:#58c}
				.sev{font-weight:600;text-transform:uppercase;font-size:.8rem}
				table{border-collapse:collapse;font-size:.85rem}td,th{border-bottom:1px solid #ddd;padding:.2rem .5rem;text-align:left}
				code{background:#eef1f4;padding:0 .2rem}
				</style></head><body>
				<h1>voice-bridge status</h1>
				""");
		html.append("<p>Public URL <code>").append(esc(report.publicUrl())).append("</code> (from ")
			.append(esc(report.publicUrlSource())).append("), Stream URL <code>").append(esc(report.streamUrl()))
			.append("</code>, agent <code>").append(esc(report.agent())).append("</code>");
		if (report.signatureChecks() != null) {
			html.append(", signature checks ").append(report.signatureChecks() ? "on" : "off");
		}
		html.append(".</p>\n");
		if (StatusReport.PUBLIC.equals(report.audience())) {
			html.append("<p id=\"audience\"><em>Client addresses, User-Agents, CallSids and whether signatures are "
					+ "checked are shown with the admin token (<code>Authorization: Bearer ADMIN_TOKEN</code>, as "
					+ "<code>/websocket-status</code> and the doctor send it), or to everyone with "
					+ "<code>DIAGNOSTICS_PUBLIC=true</code>.</em></p>\n");
		}
		if (report.routing() != null) {
			html.append("<p>New calls: <code>").append(esc(report.routing().mode())).append("</code> (")
				.append(esc(report.routing().reason())).append("), realtime probability ")
				.append(report.routing().realtimeProbability()).append(", stream breaker ")
				.append(esc(report.routing().breaker().state())).append(".</p>\n");
		}
		if (report.upstream() != null && "echo".equals(report.agent())) {
			// the upstream is where calls would go with a key: say so rather than seem to use it
			html.append("<p>Upstream: none, the echo agent answers. With <code>OPENAI_API_KEY</code> set, calls go to <code>")
				.append(esc(report.upstream().kind())).append("</code> at <code>").append(esc(report.upstream().host()))
				.append("</code>.</p>\n");
		}
		else if (report.upstream() != null) {
			html.append("<p>Upstream <code>").append(esc(report.upstream().kind())).append("</code> at <code>")
				.append(esc(report.upstream().host())).append("</code> (").append(esc(report.upstream().auth()))
				.append(" auth, model <code>").append(esc(report.upstream().model())).append("</code>).</p>\n");
		}
		if (report.profiles() != null) {
			StatusReport.ProfilesStatus profiles = report.profiles();
			html.append("<p id=\"profiles\">Profiles: ");
			if (profiles.file() == null) {
				html.append("none (every call uses the environment's settings)");
			}
			else {
				html.append("<code>").append(esc(String.join(", ", profiles.ids()))).append("</code> from <code>")
					.append(esc(profiles.file())).append("</code>, default <code>").append(esc(profiles.defaultProfile()))
					.append("</code>, last ").append(esc(profiles.lastReload()));
			}
			html.append(". Calls in progress by profile: ");
			if (profiles.activeCalls().isEmpty()) {
				html.append("none");
			}
			else {
				StringBuilder calls = new StringBuilder();
				profiles.activeCalls().forEach((id, count) -> calls.append((calls.length() > 0) ? ", " : "")
					.append(id).append(' ').append(count));
				html.append(esc(calls.toString()));
			}
			html.append(".</p>\n");
		}

		html.append("<h2>What the service found</h2>\n");
		for (Finding finding : report.diagnosis()) {
			html.append("<div class=\"finding ").append(esc(finding.severity())).append("\" id=\"")
				.append(esc(finding.id())).append("\"><span class=\"sev\">").append(esc(finding.severity()))
				.append("</span> <strong>").append(esc(finding.finding())).append("</strong><br>")
				.append(esc(finding.evidence())).append("<br><em>Fix:</em> ").append(esc(finding.fix()))
				.append("</div>\n");
		}

		html.append("<h2>Call funnel since start-up</h2>\n");
		Map<String, Long> stages = report.funnel().stages();
		long max = Math.max(1, stages.values().stream().mapToLong(Long::longValue).max().orElse(1));
		stages.forEach((stage, count) -> html.append("<div class=\"bar\" data-stage=\"").append(stage).append("\"><span>")
			.append(esc(STAGE_LABELS.get(stage))).append("</span><div class=\"track\"><div class=\"fill\" style=\"width:")
			.append(count * 100 / max).append("%\"></div></div><span>").append(count).append("</span></div>\n"));
		html.append("<p>Upgrades without an Upgrade header: ").append(report.funnel().upgradeMissing())
			.append(". Handshakes rejected: ").append(report.funnel().handshakesRejected())
			.append(". Calls without a stream: ").append(report.funnel().streamsMissing())
			.append(". OpenAI connects failed: ").append(report.funnel().upstreamFailed()).append(".</p>\n");

		html.append("<h2>Recent upgrade attempts</h2>\n");
		if (report.recentAttempts().isEmpty()) {
			html.append("<p>None since start-up.</p>\n");
		}
		else {
			html.append("<table><tr><th>time</th><th>path</th><th>protocol</th><th>Upgrade</th><th>Connection</th>"
					+ "<th>X-Forwarded-Proto</th><th>status</th><th>outcome</th></tr>\n");
			for (UpgradeAttempt attempt : report.recentAttempts()) {
				html.append("<tr><td>").append(esc(attempt.time().truncatedTo(ChronoUnit.SECONDS))).append("</td><td>")
					.append(esc(attempt.path())).append("</td><td>").append(esc(attempt.protocol())).append("</td><td>")
					.append(header(attempt.upgrade())).append("</td><td>").append(header(attempt.connection()))
					.append("</td><td>").append(header(attempt.forwardedProto())).append("</td><td>").append(attempt.status()).append("</td><td>")
					.append(esc(attempt.outcome() + " (" + attempt.reason() + ")")).append("</td></tr>\n");
			}
			html.append("</table>\n");
		}
		if (!report.streamErrors().isEmpty()) {
			html.append("<h2>Stream errors Twilio reported</h2>\n<ul>\n");
			for (StreamErrorReport error : report.streamErrors()) {
				html.append("<li>").append(esc(error.time().truncatedTo(ChronoUnit.SECONDS))).append(": ").append(esc(error.error())).append(" (")
					.append(esc(error.meaning())).append(")</li>\n");
			}
			html.append("</ul>\n");
		}
		html.append("<p>Machine-readable: <a href=\"websocket-status\">/websocket-status</a>. "
				+ "Metrics: <a href=\"actuator/prometheus\">/actuator/prometheus</a>.</p>\n</body></html>\n");
		return html.toString();
	}

	/** A header as the app saw it; an absent one is shown as such, since that is often the finding. */
	private static String header(String value) {
		return (value != null) ? esc(value) : "<em>(none)</em>";
	}

	private static String esc(Object value) {
		return (value != null) ? HtmlUtils.htmlEscape(value.toString()) : "";
	}

}

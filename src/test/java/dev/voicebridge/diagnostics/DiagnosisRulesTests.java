package dev.voicebridge.diagnostics;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each diagnosis rule, from counter states an operator could really see.
 */
class DiagnosisRulesTests {

	private static final String STREAM_URL = "wss://voice.example.com/twilio-media";

	@Test
	void noCallsYetIsInfoWithTheWebhookToSet() {
		List<Finding> findings = diagnose(funnel(0, 0, 0, 0, 0, 0, 0));
		assertThat(ids(findings)).containsExactly("no-calls-yet");
		assertThat(findings.get(0).severity()).isEqualTo("info");
	}

	@Test
	void aHealthyFunnelIsAllClear() {
		List<Finding> findings = diagnose(funnel(5, 5, 0, 5, 0, 5, 0));
		assertThat(ids(findings)).containsExactly("all-clear");
		assertThat(findings.get(0).severity()).isEqualTo("ok");
	}

	@Test
	void webhooksWithoutAnyUpgradeMeanTheEdgeDoesNotForwardThem() {
		List<Finding> findings = diagnose(funnel(3, 0, 0, 0, 0, 0, 0));
		assertThat(ids(findings)).containsExactly("upgrades-not-reaching-app");
		assertThat(findings.get(0).evidence()).contains("3 webhook(s)").contains(STREAM_URL);
		assertThat(findings.get(0).fix()).contains("doctor https://voice.example.com");
	}

	@Test
	void requestsWithoutUpgradeHeaderMeanAProxyStripsIt() {
		UpgradeAttempt stripped = attempt(null, "keep-alive", 400, "rejected", "not_upgrade");
		var funnel = new FunnelSnapshot(2, 0, 2, 0, 2, 0, 0, 0, 0, Map.of("not_upgrade", 2L), Map.of());
		List<Finding> findings = DiagnosisRules
			.diagnose(new DiagnosisRules.Input(funnel, List.of(), List.of(stripped), null, STREAM_URL));
		assertThat(ids(findings)).containsExactly("upgrade-headers-stripped");
		assertThat(findings.get(0).evidence()).contains("2 of 2").contains("Connection: keep-alive");
		assertThat(findings.get(0).fix()).contains("proxy_set_header Upgrade");
	}

	@Test
	void signatureRejectionsPointAtThePublicUrl() {
		var funnel = new FunnelSnapshot(1, 1, 0, 0, 1, 0, 0, 0, 0, Map.of("signature", 1L), Map.of());
		List<Finding> findings = diagnose(funnel);
		assertThat(ids(findings)).containsExactly("handshake-signature-rejected");
		assertThat(findings.get(0).fix()).contains("PUBLIC_URL");
	}

	@Test
	void otherRejectionsAreListedByReason() {
		var funnel = new FunnelSnapshot(1, 1, 0, 1, 1, 1, 0, 0, 0, Map.of("unknown_path", 1L), Map.of());
		assertThat(ids(diagnose(funnel))).containsExactly("handshakes-rejected");
	}

	@Test
	void twilioStreamErrorsAreExplainedByCode() {
		StreamErrorReport error = StreamErrorReport.of(Instant.EPOCH, "CA1", "31920 Stream - WebSocket - Handshake Error");
		List<Finding> findings = DiagnosisRules.diagnose(
				new DiagnosisRules.Input(funnel(1, 0, 0, 0, 0, 0, 0), List.of(error), List.of(), null, STREAM_URL));
		assertThat(ids(findings)).containsExactly("upgrades-not-reaching-app", "twilio-stream-errors");
		assertThat(findings.get(0).evidence()).contains("31920");
		assertThat(findings.get(1).evidence()).contains("other than 101");
		assertThat(error.code()).isEqualTo(31920);
	}

	@Test
	void streamErrorsWithoutACodeStillCount() {
		StreamErrorReport error = StreamErrorReport.of(Instant.EPOCH, "CA1", "something odd");
		assertThat(error.code()).isZero();
		assertThat(ids(DiagnosisRules.diagnose(
				new DiagnosisRules.Input(funnel(1, 1, 0, 1, 0, 1, 0), List.of(error), List.of(), null, STREAM_URL))))
			.containsExactly("twilio-stream-errors");
	}

	@Test
	void missingStreamsAreAnError() {
		assertThat(ids(diagnose(funnel(4, 3, 0, 3, 0, 3, 1)))).containsExactly("streams-missing");
	}

	@Test
	void upstreamConnectFailuresNameTheOutcome() {
		var funnel = new FunnelSnapshot(1, 1, 0, 1, 0, 1, 0, 0, 1, Map.of(), Map.of("rejected", 1L));
		List<Finding> findings = diagnose(funnel);
		assertThat(ids(findings)).containsExactly("upstream-connect-failures");
		assertThat(findings.get(0).evidence()).contains("rejected=1");
		assertThat(findings.get(0).fix()).contains("OPENAI_API_KEY");
	}

	@Test
	void anHttpPublicUrlIsAWarning() {
		List<Finding> findings = DiagnosisRules.diagnose(new DiagnosisRules.Input(funnel(0, 0, 0, 0, 0, 0, 0),
				List.of(), List.of(), URI.create("http://voice.example.com"), STREAM_URL));
		assertThat(ids(findings)).containsExactly("public-url-not-https");
	}

	@Test
	void aPublicUrlWithAPathOrQueryIsAWarning() {
		for (String url : List.of("https://voice.example.com/app", "https://voice.example.com?x=1")) {
			List<Finding> findings = DiagnosisRules.diagnose(new DiagnosisRules.Input(funnel(0, 0, 0, 0, 0, 0, 0),
					List.of(), List.of(), URI.create(url), STREAM_URL));
			assertThat(ids(findings)).as(url).containsExactly("public-url-has-path-or-query");
		}
	}

	private static List<Finding> diagnose(FunnelSnapshot funnel) {
		return DiagnosisRules.diagnose(new DiagnosisRules.Input(funnel, List.of(), List.of(), null, STREAM_URL));
	}

	private static FunnelSnapshot funnel(long webhooks, long attempts, long missing, long accepted, long rejected,
			long started, long streamsMissing) {
		return new FunnelSnapshot(webhooks, attempts, missing, accepted, rejected, started, streamsMissing, started, 0,
				Map.of(), Map.of());
	}

	private static UpgradeAttempt attempt(String upgrade, String connection, int status, String outcome, String reason) {
		return new UpgradeAttempt(Instant.EPOCH, "GET", "/twilio-media", "HTTP/1.1", upgrade, connection, "https",
				"voice.example.com", null, "10.0.0.1", "Twilio.TmeWs/1.0", true, status, outcome, reason);
	}

	private static List<String> ids(List<Finding> findings) {
		return findings.stream().map(Finding::id).toList();
	}

}

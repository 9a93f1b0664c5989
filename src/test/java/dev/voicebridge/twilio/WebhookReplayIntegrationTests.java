package dev.voicebridge.twilio;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import dev.voicebridge.routing.CallRouter;

import dev.voicebridge.testing.SignedTwilio;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A signed webhook sent again (Twilio's retry, or a captured request replayed) is answered as
 * the first time and not acted on again: before, a replayed {@code stream-error} was counted as
 * often as it came, and three of them opened the breaker for an hour.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "voicebridge.twilio.auth-token=" + WebhookReplayIntegrationTests.TOKEN,
				"voicebridge.routing.realtime-probability=1.0" })
@DirtiesContext
class WebhookReplayIntegrationTests {

	static final String TOKEN = "feedfacefeedfacefeedfacefeedface";

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private CallRouter router;

	private SignedTwilio twilio() {
		return new SignedTwilio(this.port, TOKEN);
	}

	@Test
	void aVoiceWebhookSentTwiceGetsTheSameTwimlAndIsRoutedOnce() {
		double answered = webhooks("voice", "answered");
		double decisions = decisions();
		Map<String, String> form = call("CAretry1");

		String first = twilio().post("/twilio/voice", form);
		String again = twilio().post("/twilio/voice", form);

		assertThat(again).isEqualTo(first).contains(StreamTokens.PARAMETER);
		assertThat(webhooks("voice", "answered")).isEqualTo(answered + 1);
		assertThat(webhooks("voice", "replayed")).isGreaterThanOrEqualTo(1);
		assertThat(decisions()).as("routed once").isEqualTo(decisions + 1);
	}

	@Test
	void aStreamErrorReplayedThreeTimesIsOneFailureForTheBreaker() {
		double errors = this.meters.counter("voicebridge.stream.status", "event", "stream-error").count();
		long failures = this.router.status().breaker().consecutiveFailures();
		Map<String, String> form = new LinkedHashMap<>();
		form.put("CallSid", "CAreplay2");
		form.put("StreamSid", "MZreplay2");
		form.put("StreamEvent", "stream-error");
		form.put("StreamError", "31920");

		for (int i = 0; i < 3; i++) {
			twilio().post("/twilio/stream-status", form);
		}

		assertThat(this.meters.counter("voicebridge.stream.status", "event", "stream-error").count())
			.isEqualTo(errors + 1);
		assertThat(this.router.status().breaker().consecutiveFailures()).isEqualTo(failures + 1);
		assertThat(this.router.status().breaker().state()).isEqualTo("closed");
	}

	@Test
	void aGatherTurnSentTwiceIsAnsweredOnceAndTwoSilencesAreTwoTurns() {
		String opening = twilio().post("/twilio/voice?mode=traditional", call("CAturns3"));
		String action = gatherAction(opening);
		Map<String, String> said = Map.of("CallSid", "CAturns3", "SpeechResult", "Hello there");
		double answered = turns("answered");

		String reply = twilio().post(action, said);
		assertThat(twilio().post(action, said)).isEqualTo(reply);
		assertThat(turns("answered")).as("the replier was asked once").isEqualTo(answered + 1);

		// the same words in the next turn are a new request: its action differs
		String next = gatherAction(reply);
		assertThat(next).isNotEqualTo(action);
		twilio().post(next, said);
		assertThat(turns("answered")).isEqualTo(answered + 2);
	}

	private static String gatherAction(String twiml) {
		String url = twiml.replaceFirst("(?s).*<Gather action=\"([^\"]+)\".*", "$1").replace("&amp;", "&");
		return url.substring(SignedTwilio.EDGE.length());
	}

	private static Map<String, String> call(String callSid) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("CallSid", callSid);
		form.put("AccountSid", "ACfake");
		form.put("From", "+15551230000");
		form.put("To", "+15557650000");
		form.put("Direction", "inbound");
		return form;
	}

	private double webhooks(String endpoint, String outcome) {
		return this.meters.counter("voicebridge.webhook.requests", "endpoint", endpoint, "outcome", outcome).count();
	}

	private double decisions() {
		return this.meters.find("voicebridge.routing.decisions").counters().stream().mapToDouble((c) -> c.count()).sum();
	}

	private double turns(String outcome) {
		return this.meters.counter("voicebridge.traditional.turns", "outcome", outcome).count();
	}

}

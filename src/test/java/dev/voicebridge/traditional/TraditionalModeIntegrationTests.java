package dev.voicebridge.traditional;

import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.voicebridge.shared.SharedState;
import dev.voicebridge.testing.FakeChatServer;
import dev.voicebridge.testing.TwilioForms;
import dev.voicebridge.testing.TwilioForms.Answer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Traditional mode over real HTTP against a fake Chat Completions server: each turn carries the
 * instructions and the conversation so far, replies are spoken inside the next {@code <Gather>},
 * and every upstream failure is an apology and another turn.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "voicebridge.openai.api-key=sk-test-secret", "voicebridge.twilio.validate-signatures=false", "voicebridge.openai.text-model=gpt-test-mini",
				"voicebridge.agent.instructions=You are the test agent.", "voicebridge.traditional.reply-timeout=1s",
				"voicebridge.traditional.max-silences=2", "voicebridge.traditional.conversation-ttl=2s" })
@AutoConfigureMetrics
@DirtiesContext
class TraditionalModeIntegrationTests {

	private static final FakeChatServer chat = new FakeChatServer();

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private SharedState state;

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		registry.add("voicebridge.openai.api-base-url", chat::baseUrl);
	}

	@BeforeEach
	void resetUpstream() {
		chat.reset();
	}

	@AfterAll
	static void stopUpstream() {
		chat.close();
	}

	@Test
	void eachTurnSendsInstructionsHistoryAndSpeechAndSpeaksTheReplyInTheNextGather() {
		double answered = turns("answered");
		chat.reply("We open at nine.");
		Answer first = turn("CAturns1", "When do you open?");
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.contentType()).isEqualTo("application/xml;charset=UTF-8");
		assertThat(first.body()).contains("<Gather action=\"http://localhost:" + this.port + "/twilio/gather?turn=")
			.contains("input=\"speech dtmf\"")
			.contains("speechTimeout=\"auto\"")
			.contains("method=\"POST\"")
			.contains("<Say>We open at nine.</Say></Gather>");
		FakeChatServer.Recorded request = chat.take();
		assertThat(request.path()).isEqualTo("/v1/chat/completions");
		assertThat(request.authorization()).isEqualTo("Bearer sk-test-secret");
		assertThat(request.body().path("model").asString()).isEqualTo("gpt-test-mini");
		assertThat(request.body().path("messages").toString())
			.isEqualTo("[{\"role\":\"system\",\"content\":\"You are the test agent.\"},"
					+ "{\"role\":\"user\",\"content\":\"When do you open?\"}]");

		chat.reply("Until six.");
		assertThat(turn("CAturns1", "And when do you close?").body()).contains("<Say>Until six.</Say>");
		assertThat(chat.take().body().path("messages").toString())
			.isEqualTo("[{\"role\":\"system\",\"content\":\"You are the test agent.\"},"
					+ "{\"role\":\"user\",\"content\":\"When do you open?\"},"
					+ "{\"role\":\"assistant\",\"content\":\"We open at nine.\"},"
					+ "{\"role\":\"user\",\"content\":\"And when do you close?\"}]");
		assertThat(turns("answered")).isEqualTo(answered + 2);
	}

	@Test
	void anHttpErrorIsAnApologyAndAnotherTurn() {
		double failed = turns("failed");
		chat.fail(500);
		assertApologyAndRegather(turn("CAerr500", "Hello?"));
		chat.take();
		chat.fail(429);
		assertApologyAndRegather(turn("CAerr500", "Hello again?"));
		chat.take();
		assertThat(turns("failed")).isEqualTo(failed + 2);
	}

	@Test
	void malformedAnswersAreAnApologyAndAnotherTurn() {
		chat.malformed("{not json");
		assertApologyAndRegather(turn("CAmalformed", "Hello?"));
		chat.take();
		chat.malformed("{\"choices\":[]}");
		assertApologyAndRegather(turn("CAmalformed", "Hello?"));
		chat.take();
	}

	@Test
	void aSlowUpstreamIsCutOffInTimeForAnApology() {
		chat.slow(5, "too late");
		long started = System.nanoTime();
		assertApologyAndRegather(turn("CAslow", "Hello?"));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
		chat.take();
	}

	@Test
	void aFailedTurnKeepsTheHistoryClean() {
		chat.fail(503);
		turn("CAclean", "First try");
		chat.take();
		chat.reply("Got it.");
		turn("CAclean", "Second try");
		assertThat(chat.take().body().path("messages").toString()).doesNotContain("First try").contains("Second try");
	}

	@Test
	void silenceIsAnsweredAndRegatheredThenTheCallEndsPolitelyAndIsCounted() {
		double completed = calls("completed");
		double silentTurns = turns("silent");
		int requests = chat.requestCount();
		Answer silent = turn("CAsilent", null);
		assertThat(silent.body()).contains("<Gather").contains(TraditionalMode.STILL_THERE)
			.contains("<Redirect method=\"POST\">http://localhost:" + this.port + "/twilio/gather?turn=");
		Answer end = turn("CAsilent", "");
		assertThat(end.body()).contains("<Say>" + TraditionalMode.GOODBYE + "</Say><Hangup/>").doesNotContain("<Gather");
		assertThat(calls("completed")).isEqualTo(completed + 1);
		assertThat(chat.requestCount()).as("silence never reaches the model").isEqualTo(requests);
		assertThat(turns("silent")).isEqualTo(silentTurns + 2);
	}

	@Test
	void aConversationThatGoesIdleIsCountedAsEndedOnce() {
		double hungUp = calls("caller_hung_up");
		chat.reply("Hi!");
		turn("CAidle", "Hello");
		chat.take();
		// other tests' conversations may expire in the same sweep; exactly-once is ConversationStoreTests' job
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.state.get(ConversationStore.PREFIX + "CAidle").isEmpty());
		assertThat(calls("caller_hung_up")).isGreaterThanOrEqualTo(hungUp + 1);
		chat.reply("Welcome back.");
		turn("CAidle", "Hello again");
		assertThat(chat.take().body().path("messages").toString()).as("an expired conversation starts afresh")
			.doesNotContain("\"Hello\"");
	}

	@Test
	void aGatherWithoutACallSidIsRefused() {
		Answer answer = TwilioForms.post(url("/twilio/gather"), Map.of("SpeechResult", "hi"));
		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.body()).contains("CallSid");
	}

	private void assertApologyAndRegather(Answer answer) {
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.body()).contains("<Gather").contains("<Say>" + TraditionalMode.APOLOGY + "</Say>");
	}

	private Answer turn(String callSid, String speech) {
		Map<String, String> form = new java.util.LinkedHashMap<>();
		form.put("CallSid", callSid);
		if (speech != null) {
			form.put("SpeechResult", speech);
			form.put("Confidence", "0.9");
		}
		return TwilioForms.post(url("/twilio/gather"), form);
	}

	private double calls(String outcome) {
		return this.meters.counter("voicebridge.calls", "agent", "traditional", "profile", "default", "outcome", outcome).count();
	}

	private double turns(String outcome) {
		return this.meters.counter("voicebridge.traditional.turns", "outcome", outcome).count();
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

}

package dev.voicebridge.profiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.voicebridge.testing.FakeChatServer;
import dev.voicebridge.testing.FakeRealtimeServer;
import dev.voicebridge.testing.FakeTwilioCall;
import dev.voicebridge.testing.TwilioForms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Azure OpenAI through configuration alone: {@code OPENAI_AUTH=api-key} sends the key in the
 * {@code api-key} header (never {@code Authorization}) to the deployment named by
 * {@code OPENAI_MODEL}, on the Realtime socket and in traditional mode; a profile may name an
 * upstream of its own (a business whose data stays in its region); and Azure's 401 names the fix.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "voicebridge.openai.api-key=azure-key-1", "voicebridge.twilio.validate-signatures=false", "voicebridge.openai.auth=api-key",
				"voicebridge.openai.model=my-realtime-deployment", "voicebridge.openai.text-model=my-text-deployment" })
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
class AzureUpstreamIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	/** Azure OpenAI's answer to a wrong key. */
	static final String AZURE_401 = "{\"error\":{\"code\":\"401\",\"message\":\"Access denied due to invalid "
			+ "subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and "
			+ "use a correct regional API endpoint for your resource.\"}}";

	private static final FakeRealtimeServer azure = new FakeRealtimeServer();

	private static final FakeRealtimeServer regional = new FakeRealtimeServer();

	private static final FakeChatServer chat = new FakeChatServer();

	private static final Path PROFILES = profilesFile();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) {
		registry.add("voicebridge.openai.realtime-url", () -> "ws://localhost:" + azure.port() + "/openai/v1/realtime");
		registry.add("voicebridge.openai.api-base-url", chat::baseUrl);
		registry.add("voicebridge.profiles.file", PROFILES::toString);
		registry.add("REGIONAL_AZURE_KEY", () -> "regional-key-2");
		registry.add("voicebridge.profiles.watch-interval", () -> "1h");
	}

	@BeforeEach
	void reset() {
		azure.reset();
		regional.reset();
		chat.reset();
	}

	@AfterEach
	void everyClientEventMatchedOpenAisSchema() {
		assertThat(azure.schemaViolations()).isEmpty();
		assertThat(regional.schemaViolations()).isEmpty();
	}

	@AfterAll
	static void stopUpstreams() {
		azure.close();
		regional.close();
		chat.close();
	}

	@Test
	void theRealtimeSocketCarriesTheKeyInTheApiKeyHeaderAndTheDeploymentInTheQuery() throws Exception {
		try (FakeTwilioCall call = connect("CAazure1")) {
			var upstream = azure.nextConnection(WAIT);
			call.start(Map.of("profile", "main"));
			upstream.next("session.update", WAIT);
			RecordedRequest handshake = azure.handshakes().get(0);
			assertThat(handshake.getHeaders().get("api-key")).isEqualTo("azure-key-1");
			assertThat(handshake.getHeaders().get("Authorization")).isNull();
			assertThat(handshake.getUrl().encodedPath()).isEqualTo("/openai/v1/realtime");
			assertThat(handshake.getUrl().queryParameter("model")).isEqualTo("my-realtime-deployment");
		}
	}

	@Test
	void traditionalModeSendsTheKeyInTheApiKeyHeaderToTheTextDeployment() {
		TwilioForms.post(url("/twilio/voice?mode=traditional"), Map.of("CallSid", "CAazure2", "To", "+15559990000"));
		chat.reply("Hello from Azure.");
		String turn = TwilioForms.post(url("/twilio/gather"), Map.of("CallSid", "CAazure2", "SpeechResult", "Hi")).body();
		assertThat(turn).contains("Hello from Azure.");
		FakeChatServer.Recorded request = chat.take();
		assertThat(request.apiKey()).isEqualTo("azure-key-1");
		assertThat(request.authorization()).isNull();
		assertThat(request.path()).isEqualTo("/v1/chat/completions");
		assertThat(request.body().path("model").asText()).isEqualTo("my-text-deployment");
	}

	@Test
	void aProfileWithItsOwnUpstreamMovesTheCallThereWithItsOwnKey() throws Exception {
		try (FakeTwilioCall call = connect("CAregional1")) {
			var early = azure.nextConnection(WAIT);
			call.start(Map.of("profile", "regional"));
			var upstream = regional.nextConnection(WAIT);
			assertThat(upstream.next("session.update", WAIT).path("session").path("instructions").asText())
				.isEqualTo("You answer for the EU office.");
			RecordedRequest handshake = regional.handshakes().get(0);
			assertThat(handshake.getHeaders().get("api-key")).isEqualTo("regional-key-2");
			assertThat(handshake.getHeaders().get("Authorization")).isNull();
			assertThat(handshake.getUrl().queryParameter("model")).isEqualTo("eu-deployment");
			assertThat(early.awaitClosed(WAIT)).as("the socket to the default upstream is closed unused").isEqualTo(1000);
			assertThat(early.types()).as("it was never configured").doesNotContain("session.update");
		}
	}

	@Test
	void azuresRefusalOfTheKeyIsNamedWithTheFix(CapturedOutput output) throws Exception {
		azure.refuseWith(401, AZURE_401);
		try (FakeTwilioCall call = connect("CAazure3")) {
			call.start(Map.of("profile", "main"));
			assertThat(call.awaitClosed(WAIT)).isEqualTo(1011);
		}
		await().atMost(WAIT).until(() -> output.getOut().contains("HTTP 401 (check the Azure key and deployment)"));
		assertThat(output.getOut()).doesNotContain("azure-key-1");

		chat.fail(401, AZURE_401);
		TwilioForms.post(url("/twilio/voice?mode=traditional"), Map.of("CallSid", "CAazure4", "To", "+15559990000"));
		String apology = TwilioForms.post(url("/twilio/gather"), Map.of("CallSid", "CAazure4", "SpeechResult", "Hi"))
			.body();
		assertThat(apology).contains("Sorry, I'm having trouble answering right now.");
		await().atMost(WAIT).until(() -> output.getOut().contains("HTTP 401 from custom (localhost, api-key auth) (check the Azure key and deployment)"));
	}

	private FakeTwilioCall connect(String callSid) throws InterruptedException {
		return FakeTwilioCall.connect("ws://localhost:" + this.port + "/twilio-media", "MZ" + callSid.substring(2),
				callSid);
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	private static Path profilesFile() {
		try {
			Path file = Files.createTempDirectory("voicebridge-azure").resolve("profiles.yaml");
			Files.writeString(file, """
					default: main
					profiles:
					  main:
					    instructions: You answer for the head office.
					  regional:
					    instructions: You answer for the EU office.
					    realtime-url: ws://localhost:%d/openai/v1/realtime
					    model: eu-deployment
					    auth: api-key
					    api-key-variable: REGIONAL_AZURE_KEY
					    api-base-url: %s
					""".formatted(regional.port(), chat.baseUrl()));
			file.toFile().deleteOnExit();
			file.getParent().toFile().deleteOnExit();
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}

package dev.voicebridge.profiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.voicebridge.diagnostics.Doctor;
import dev.voicebridge.testing.Audio;
import dev.voicebridge.testing.FakeChatServer;
import dev.voicebridge.testing.FakeRealtimeServer;
import dev.voicebridge.testing.FakeTwilioCall;
import dev.voicebridge.testing.SharedRealtimeUpstream;
import dev.voicebridge.testing.TwilioForms;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two businesses on one instance, each with its own agent: the webhook picks the profile (by
 * {@code businessId}, by the called number, or the default), and the stream's
 * {@code session.update}, the greeting, the tools, traditional mode's system message and
 * {@code <Say>}, routing, the transfer and the fallback follow it. A reload reaches new calls,
 * never the call in progress.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "voicebridge.openai.api-key=sk-test", "voicebridge.twilio.validate-signatures=false", "voicebridge.admin-token=admin-secret-token-0123456789abcdef0123456789abcdef",
				"voicebridge.profiles.watch-interval=1h", "voicebridge.agent.instructions=The environment's agent." })
@AutoConfigureMetrics
@ExtendWith(SharedRealtimeUpstream.class)
class ProfilesIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final OkHttpClient HTTP = new OkHttpClient();

	static final String FILE = """
			default: main
			profiles:
			  main:
			    instructions: You are Main Street's receptionist.
			  dentist:
			    numbers: ["+15550001111"]
			    instructions: You are the receptionist of Bright Smiles dental practice.
			    greeting: Thanks for calling Bright Smiles, how can I help?
			    voice: cedar
			    transfer-number: "+15550002222"
			    fallback-message: Bright Smiles cannot take your call right now.
			    plans:
			      premium:
			        voice: marin
			        instructions: You are the concierge of Bright Smiles for premium patients.
			  bakery:
			    numbers: ["+15550003333"]
			    instructions: You take orders for the Corner Bakery.
			    mode: traditional
			    language: fr-FR
			    say-voice: Polly.Lea
			    dtmf: ignore
			""";

	private static final Path PROFILES = profilesFile();

	private static final FakeRealtimeServer openai = SharedRealtimeUpstream.server();

	private static final FakeChatServer chat = new FakeChatServer();

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meters;

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) {
		registry.add("voicebridge.openai.realtime-url", openai::url);
		registry.add("voicebridge.openai.api-base-url", chat::baseUrl);
		registry.add("voicebridge.profiles.file", PROFILES::toString);
	}

	@BeforeEach
	void reset() throws IOException {
		Files.writeString(PROFILES, FILE);
		reload();
		chat.reset();
	}

	@AfterAll
	static void stopUpstreams() {
		chat.close();
	}

	@Test
	void theWebhookPicksTheProfileByBusinessIdThenByCalledNumberThenTheDefault() {
		String byBusiness = voice("?businessId=dentist", "CAprofile1", "+15559990000", "inbound").body();
		assertThat(byBusiness).contains("<Parameter name=\"profile\" value=\"dentist\"/>")
			.contains("action=\"http://localhost:" + this.port + "/twilio/stream-action?profile=dentist\"")
			.doesNotContain("name=\"plan\"");
		assertThat(voice("", "CAprofile2", "+15550001111", "inbound").body())
			.contains("<Parameter name=\"profile\" value=\"dentist\"/>");
		assertThat(voice("", "CAprofile3", "+15559990000", "inbound").body())
			.contains("<Parameter name=\"profile\" value=\"main\"/>");
		// an outbound call's line is its caller ID
		assertThat(TwilioForms.post(url("/twilio/voice"), Map.of("CallSid", "CAprofile4", "From", "+15550001111", "To",
				"+15559990000", "Direction", "outbound-api")).body())
			.contains("<Parameter name=\"profile\" value=\"dentist\"/>");
		assertThat(voice("?businessId=dentist&plan=premium", "CAprofile5", "+15559990000", "inbound").body())
			.contains("<Parameter name=\"plan\" value=\"premium\"/>")
			.contains("stream-action?profile=dentist&amp;plan=premium\"");
	}

	@Test
	void anUnknownBusinessIdGetsTheDefaultProfileNotAnError() {
		double unknown = this.meters.counter("voicebridge.profiles.unknown", "parameter", "businessId").count();
		TwilioForms.Answer answer = voice("?businessId=no-such-business", "CAprofile6", "+15559990000", "inbound");
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.body()).contains("<Parameter name=\"profile\" value=\"main\"/>");
		assertThat(this.meters.counter("voicebridge.profiles.unknown", "parameter", "businessId").count())
			.isEqualTo(unknown + 1);
	}

	@Test
	void eachBusinessGetsItsOwnSessionGreetingAndTools() throws Exception {
		try (FakeTwilioCall call = connect("CAdentist1")) {
			var upstream = openai.nextConnection(WAIT);
			call.start(Map.of("profile", "dentist"));
			JsonNode session = upstream.next("session.update", WAIT).path("session");
			assertThat(session.path("instructions").asString())
				.isEqualTo("You are the receptionist of Bright Smiles dental practice.");
			assertThat(session.path("audio").path("output").path("voice").asString()).isEqualTo("cedar");
			assertThat(toolNames(session)).containsExactly("end_call", "transfer_call");
			assertThat(upstream.next("response.create", WAIT).path("response").path("instructions").asString())
				.contains("Thanks for calling Bright Smiles, how can I help?");
		}
		try (FakeTwilioCall call = connect("CAmain1")) {
			var upstream = openai.nextConnection(WAIT);
			call.start(Map.of("profile", "main"));
			JsonNode session = upstream.next("session.update", WAIT).path("session");
			assertThat(session.path("instructions").asString()).isEqualTo("You are Main Street's receptionist.");
			assertThat(session.path("audio").path("output").path("voice").asString()).isEqualTo("marin");
			assertThat(toolNames(session)).as("no transfer number, no transfer tool").containsExactly("end_call");
			call.media(Audio.frame(1));
			upstream.next("input_audio_buffer.append", WAIT);
			assertThat(upstream.types()).as("no greeting").doesNotContain("response.create");
		}
	}

	@Test
	void aPlanOverridesItsProfile() throws Exception {
		try (FakeTwilioCall call = connect("CApremium1")) {
			var upstream = openai.nextConnection(WAIT);
			call.start(Map.of("profile", "dentist", "plan", "premium"));
			JsonNode session = upstream.next("session.update", WAIT).path("session");
			assertThat(session.path("instructions").asString())
				.isEqualTo("You are the concierge of Bright Smiles for premium patients.");
			assertThat(session.path("audio").path("output").path("voice").asString()).isEqualTo("marin");
			assertThat(toolNames(session)).as("the profile's transfer number still applies").contains("transfer_call");
		}
	}

	@Test
	void eachBusinessGetsItsOwnRoutingAndTraditionalModeSystemMessageAndVoice() {
		// the bakery's profile routes its calls to traditional mode, in French, in its voice
		String first = voice("", "CAbakery1", "+15550003333", "inbound").body();
		assertThat(first).contains("<Gather").contains("language=\"fr-FR\"")
			.as("its keypad is ignored").contains("input=\"speech\"")
			.contains("<Say language=\"fr-FR\" voice=\"Polly.Lea\">")
			.doesNotContain("<Stream");
		chat.reply("Bien sûr.");
		String turn = TwilioForms.post(url("/twilio/gather"), Map.of("CallSid", "CAbakery1", "SpeechResult",
				"Une baguette", "Confidence", "0.9")).body();
		assertThat(turn).contains("Bien sûr.").contains("voice=\"Polly.Lea\"");
		var messages = chat.take().body().path("messages");
		assertThat(messages.path(0).path("role").asString()).isEqualTo("system");
		assertThat(messages.path(0).path("content").asString()).isEqualTo("You take orders for the Corner Bakery.");

		// the dentist's calls take the stream; asked for traditional mode, they keep their own agent
		assertThat(voice("?businessId=dentist", "CAdentist2", "+15559990000", "inbound").body()).contains("<Stream");
		voice("?businessId=dentist&mode=traditional", "CAdentist3", "+15559990000", "inbound");
		chat.reply("Tuesday at ten.");
		TwilioForms.post(url("/twilio/gather"), Map.of("CallSid", "CAdentist3", "SpeechResult", "An appointment?"));
		assertThat(chat.take().body().path("messages").path(0).path("content").asString())
			.isEqualTo("You are the receptionist of Bright Smiles dental practice.");
	}

	@Test
	void theConnectActionServesTheProfilesFallback() {
		String twiml = TwilioForms.post(url("/twilio/stream-action?profile=dentist"), Map.of("CallSid", "CAunknown1"))
			.body();
		assertThat(twiml).contains("<Say>Bright Smiles cannot take your call right now.</Say>");
	}

	@Test
	void aReloadReachesNewCallsAndNotTheCallInProgress() throws Exception {
		FakeTwilioCall inProgress = connect("CA" + "d".repeat(32));
		inProgress.playMarks(false);
		var first = openai.nextConnection(WAIT);
		inProgress.start(Map.of("profile", "dentist"));
		first.next("session.update", WAIT);

		Files.writeString(PROFILES, FILE.replace("+15550002222", "+15550009999")
			.replace("You are the receptionist of Bright Smiles dental practice.", "You are Bright Smiles' new receptionist."));
		JsonNode reloaded = reload();
		assertThat(reloaded.path("outcome").asString()).isEqualTo("applied");

		try (FakeTwilioCall fresh = connect("CAdentist5")) {
			var second = openai.nextConnection(WAIT);
			fresh.start(Map.of("profile", "dentist"));
			assertThat(second.next("session.update", WAIT).path("session").path("instructions").asString())
				.isEqualTo("You are Bright Smiles' new receptionist.");
		}

		// the call in progress still transfers to the number its profile had when it started
		first.responseCreated("resp_1");
		first.functionCall("resp_1", "call_1", "transfer_call");
		first.responseDone("resp_1");
		first.next("response.create", WAIT);
		first.responseCreated("resp_2");
		first.delta("resp_2", "item_2", Audio.frame(55, 480));
		first.audioDone("resp_2", "item_2");
		first.responseDone("resp_2");
		inProgress.next("media", WAIT);
		inProgress.markPlayed(inProgress.next("mark", WAIT).path("mark").path("name").asString());
		assertThat(inProgress.awaitClosed(WAIT)).isEqualTo(1000);
		assertThat(TwilioForms.connectAction(this.port, inProgress.callSid())).contains("<Dial>+15550002222</Dial>");
		inProgress.close();
	}

	@Test
	void aChangedFileThatDoesNotValidateIsRefusedAndTheProfilesStayAsTheyWere() throws Exception {
		Files.writeString(PROFILES, FILE.replace("voice: cedar", "voice: cedar\n    colour: blue"));
		try (Response response = post("/admin/profiles/reload", "admin-secret-token-0123456789abcdef0123456789abcdef")) {
			assertThat(response.code()).isEqualTo(422);
			JsonNode refusal = JSON.readTree(response.body().string());
			assertThat(refusal.path("outcome").asString()).isEqualTo("refused");
			assertThat(refusal.path("error").asString()).contains("profile 'dentist', key 'colour'");
		}
		JsonNode status = get("/websocket-status", null);
		assertThat(status.path("profiles").path("lastReload").asString()).isEqualTo("refused");
		assertThat(status.path("diagnosis").findValuesAsString("id")).contains("profiles-file-refused");
		assertThat(this.meters.get("voicebridge.profiles.file.valid").gauge().value()).isZero();
		try (FakeTwilioCall call = connect("CAdentist6")) {
			var upstream = openai.nextConnection(WAIT);
			call.start(Map.of("profile", "dentist"));
			assertThat(upstream.next("session.update", WAIT).path("session").path("audio").path("output").path("voice")
				.asString()).isEqualTo("cedar");
		}
	}

	@Test
	void theAdminViewShowsEachSettingWithItsSourceAndNoKey() throws Exception {
		try (Response response = HTTP.newCall(new Request.Builder().url(url("/admin/profiles")).build()).execute()) {
			assertThat(response.code()).as("the admin token is required").isEqualTo(401);
		}
		JsonNode all = get("/admin/profiles", "admin-secret-token-0123456789abcdef0123456789abcdef");
		assertThat(all.path("defaultProfile").asString()).isEqualTo("main");
		assertThat(all.path("profiles").findValuesAsString("id")).containsExactly("main", "dentist", "bakery");
		JsonNode dentist = get("/admin/profiles/dentist", "admin-secret-token-0123456789abcdef0123456789abcdef");
		assertThat(dentist.path("numbers").get(0).asString()).isEqualTo("+15550001111");
		assertThat(dentist.path("settings").path("voice").path("value").asString()).isEqualTo("cedar");
		assertThat(dentist.path("settings").path("voice").path("source").asString()).isEqualTo("profile dentist");
		assertThat(dentist.path("settings").path("turn-detection").path("source").asString())
			.isEqualTo("environment OPENAI_TURN_DETECTION");
		assertThat(dentist.path("settings").path("api-key").path("value").asString()).isEqualTo("set");
		assertThat(dentist.path("plans").path("premium").path("voice").path("source").asString()).isEqualTo("plan premium");
		assertThat(dentist.toString()).doesNotContain("sk-test");
		try (Response response = HTTP.newCall(new Request.Builder().url(url("/admin/profiles/nobody"))
			.header("Authorization", "Bearer admin-secret-token-0123456789abcdef0123456789abcdef")
			.build()).execute()) {
			assertThat(response.code()).isEqualTo(404);
		}
	}

	@Test
	void callsInProgressAndTheirMetricsNameTheirProfile() throws Exception {
		double ended = this.meters.counter("voicebridge.calls", "agent", "openai", "profile", "dentist", "outcome",
				"caller_hung_up").count();
		try (FakeTwilioCall call = connect("CAdentist7")) {
			var upstream = openai.nextConnection(WAIT);
			call.start(Map.of("profile", "dentist", "plan", "premium"));
			upstream.next("session.update", WAIT);
			JsonNode calls = get("/admin/calls", "admin-secret-token-0123456789abcdef0123456789abcdef");
			JsonNode mine = null;
			for (JsonNode active : calls) {
				if ("CAdentist7".equals(active.path("callSid").asString())) {
					mine = active;
				}
			}
			assertThat(mine).isNotNull();
			assertThat(mine.path("profile").asString()).isEqualTo("dentist");
			assertThat(mine.path("plan").asString()).isEqualTo("premium");
			assertThat(get("/websocket-status", null).path("profiles").path("activeCalls").path("dentist").asLong())
				.isEqualTo(1);
			call.stop();
			call.awaitClosed(WAIT);
		}
		org.awaitility.Awaitility.await().atMost(WAIT).until(() -> this.meters.counter("voicebridge.calls", "agent",
				"openai", "profile", "dentist", "outcome", "caller_hung_up").count() == ended + 1);
	}

	@Test
	void theDoctorChecksThatABusinessIdSelectsItsProfile() {
		ByteArrayOutputStream known = new ByteArrayOutputStream();
		int exit = Doctor.run(new String[] { url(""), "--business", "dentist", "--local" },
				new PrintStream(known, true, StandardCharsets.UTF_8), Map.of());
		String report = known.toString(StandardCharsets.UTF_8);
		assertThat(report).contains("[ok]   profile     businessId=dentist selects profile dentist")
			.contains("note: calls go to the custom upstream at localhost (bearer auth, model gpt-realtime)");
		assertThat(exit).as(report).isZero();

		ByteArrayOutputStream unknown = new ByteArrayOutputStream();
		assertThat(Doctor.run(new String[] { url(""), "--business", "dentsit", "--local" },
				new PrintStream(unknown, true, StandardCharsets.UTF_8), Map.of())).isEqualTo(1);
		assertThat(unknown.toString(StandardCharsets.UTF_8))
			.contains("[FAIL] profile     businessId=dentsit is not a profile of this service: calls with it get profile main")
			.contains("add dentsit under profiles: in PROFILES_FILE");
	}

	private static List<String> toolNames(JsonNode session) {
		return session.path("tools").findValuesAsString("name");
	}

	private TwilioForms.Answer voice(String query, String callSid, String to, String direction) {
		return TwilioForms.post(url("/twilio/voice" + query),
				Map.of("CallSid", callSid, "From", "+15557770000", "To", to, "Direction", direction));
	}

	private FakeTwilioCall connect(String callSid) throws InterruptedException {
		return FakeTwilioCall.connect("ws://localhost:" + this.port + "/twilio-media", "MZ" + callSid.substring(2),
				callSid);
	}

	private JsonNode reload() {
		try (Response response = post("/admin/profiles/reload", "admin-secret-token-0123456789abcdef0123456789abcdef")) {
			return JSON.readTree(response.body().string());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private Response post(String path, String token) {
		try {
			return HTTP.newCall(new Request.Builder().url(url(path))
				.header("Authorization", "Bearer " + token)
				.post(RequestBody.create(new byte[0]))
				.build()).execute();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private JsonNode get(String path, String token) throws IOException {
		Request.Builder request = new Request.Builder().url(url(path));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		try (Response response = HTTP.newCall(request.build()).execute()) {
			assertThat(response.code()).as(path).isEqualTo(200);
			return JSON.readTree(response.body().string());
		}
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	private static Path profilesFile() {
		try {
			Path file = Files.createTempDirectory("voicebridge-profiles").resolve("profiles.yaml");
			Files.writeString(file, FILE);
			file.toFile().deleteOnExit();
			file.getParent().toFile().deleteOnExit();
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}

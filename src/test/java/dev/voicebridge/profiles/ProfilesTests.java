package dev.voicebridge.profiles;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.voicebridge.config.AgentProperties;
import dev.voicebridge.config.BridgeProperties;
import dev.voicebridge.config.OpenAiProperties;
import dev.voicebridge.config.Upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How a call picks its profile, how plans and the environment layer under it, and how a changed
 * file is taken or refused.
 */
class ProfilesTests {

	private static final String FILE = """
			default: main
			profiles:
			  main:
			    instructions: You are Main Street's receptionist.
			  dentist:
			    numbers: ["+15550001111", "+15550001112"]
			    instructions: You are the dentist's receptionist.
			    voice: cedar
			    greeting: ""
			    transfer-number: "+15550002222"
			    realtime-probability: 0.25
			    plans:
			      premium:
			        voice: marin
			        model: gpt-realtime
			  regional:
			    realtime-url: wss://contoso-eu.openai.azure.com/openai/v1/realtime
			    model: eu-deployment
			    api-key-variable: CONTOSO_EU_KEY
			""";

	@TempDir
	Path directory;

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final AgentProperties agent = new AgentProperties("Environment instructions.", "Hello from the environment.",
			null);

	private final OpenAiProperties openai = new OpenAiProperties("sk-environment", URI.create("wss://api.openai.com/v1/realtime"),
			"gpt-realtime-mini", "alloy", OpenAiProperties.TurnDetection.SERVER_VAD, null, Duration.ofSeconds(10),
			Duration.ofSeconds(15), Duration.ofMinutes(55), null, "gpt-4.1-mini", null);

	@Test
	void aCallPicksItsProfileByBusinessIdThenByNumberThenTheDefault() throws IOException {
		Profiles profiles = load(FILE);
		assertThat(profiles.select("dentist", null, "+15559999999")).extracting((s) -> s.profile().id(), Profiles.Selection::reason)
			.containsExactly("dentist", "business");
		assertThat(profiles.select(null, null, "+15550001112")).extracting((s) -> s.profile().id(), Profiles.Selection::reason)
			.containsExactly("dentist", "number");
		assertThat(profiles.select(null, null, "+15559999999")).extracting((s) -> s.profile().id(), Profiles.Selection::reason)
			.containsExactly("main", "default");
		assertThat(profiles.select("main", null, "+15550001111").profile().id()).as("businessId wins over the number")
			.isEqualTo("main");
	}

	@Test
	void anUnknownBusinessIdFallsBackToTheNumberOrTheDefaultAndIsCounted() throws IOException {
		Profiles profiles = load(FILE);
		assertThat(profiles.select("nobody", null, "+15559999999").profile().id()).isEqualTo("main");
		assertThat(profiles.select("nobody", null, "+15550001111").profile().id()).isEqualTo("dentist");
		assertThat(profiles.select("dentist", "gold", null).profile()).extracting(CallProfile::id, CallProfile::plan)
			.containsExactly("dentist", null);
		assertThat(this.meters.counter("voicebridge.profiles.unknown", "parameter", "businessId").count()).isEqualTo(2);
		assertThat(this.meters.counter("voicebridge.profiles.unknown", "parameter", "plan").count()).isEqualTo(1);
	}

	@Test
	void keysLayerAsPlanOverProfileOverEnvironment() throws IOException {
		Profiles profiles = load(FILE);
		CallProfile dentist = profiles.select("dentist", null, null).profile();
		assertThat(dentist.voice()).isEqualTo("cedar");
		assertThat(dentist.greeting()).as("an empty greeting: the caller speaks first").isNull();
		assertThat(dentist.transferNumber()).isEqualTo("+15550002222");
		assertThat(dentist.realtimeProbability()).isEqualTo(0.25);
		assertThat(dentist.upstream().model()).isEqualTo("gpt-realtime-mini");
		assertThat(dentist.sources()).containsEntry("voice", "profile dentist")
			.containsEntry("model", "environment OPENAI_MODEL")
			.containsEntry("mode", "default");

		CallProfile premium = profiles.select("dentist", "premium", null).profile();
		assertThat(premium.plan()).isEqualTo("premium");
		assertThat(premium.voice()).isEqualTo("marin");
		assertThat(premium.upstream().model()).isEqualTo("gpt-realtime");
		assertThat(premium.instructions()).isEqualTo("You are the dentist's receptionist.");
		assertThat(premium.sources()).containsEntry("voice", "plan premium").containsEntry("instructions", "profile dentist");

		CallProfile main = profiles.defaultProfile();
		assertThat(main.instructions()).isEqualTo("You are Main Street's receptionist.");
		assertThat(main.greeting()).isEqualTo("Hello from the environment.");
		assertThat(main.voice()).isEqualTo("alloy");
		assertThat(main.realtimeProbability()).as("the service's share").isNull();
		assertThat(main.sources()).containsEntry("greeting", "environment AGENT_GREETING");
	}

	@Test
	void aProfileOnAzureGetsItsOwnKeyAndTheApiKeyHeader() throws IOException {
		CallProfile regional = load(FILE).select("regional", null, null).profile();
		Upstream upstream = regional.upstream();
		assertThat(upstream.kind()).isEqualTo("azure");
		assertThat(upstream.auth()).isEqualTo(Upstream.Auth.API_KEY);
		assertThat(upstream.authHeader()).isEqualTo("api-key");
		assertThat(upstream.authValue()).isEqualTo("eu-key");
		assertThat(upstream.connectUri())
			.isEqualTo(URI.create("wss://contoso-eu.openai.azure.com/openai/v1/realtime?model=eu-deployment"));
		assertThat(upstream.chatCompletionsUrl()).isEqualTo("https://contoso-eu.openai.azure.com/openai/v1/chat/completions");
		assertThat(upstream.toString()).doesNotContain("eu-key");
		assertThat(load(FILE).defaultProfile().upstream().authValue()).isEqualTo("Bearer sk-environment");
	}

	@Test
	void aChangedFileIsTakenForNewSelectionsAndAProfileAlreadyChosenStaysAsItWas() throws IOException {
		Profiles profiles = load(FILE);
		CallProfile before = profiles.select("dentist", null, null).profile();
		Files.writeString(this.directory.resolve("profiles.yaml"), FILE.replace("voice: cedar", "voice: sage"));
		profiles.reloadIfChanged();
		assertThat(profiles.lastReload().outcome()).isEqualTo("applied");
		assertThat(profiles.select("dentist", null, null).profile().voice()).isEqualTo("sage");
		assertThat(before.voice()).isEqualTo("cedar");
		assertThat(this.meters.counter("voicebridge.profiles.reloads", "outcome", "applied").count()).isEqualTo(1);
		profiles.reloadIfChanged();
		assertThat(this.meters.counter("voicebridge.profiles.reloads", "outcome", "applied").count())
			.as("an unchanged file is not reloaded").isEqualTo(1);
	}

	@Test
	void aChangedFileThatDoesNotValidateIsRefusedOnceAndTheProfilesStay() throws IOException {
		Profiles profiles = load(FILE);
		Files.writeString(this.directory.resolve("profiles.yaml"), FILE.replace("voice: cedar", "voise: cedar"));
		profiles.reloadIfChanged();
		profiles.reloadIfChanged();
		assertThat(profiles.lastReload().refused()).isTrue();
		assertThat(profiles.lastReload().error()).contains("profile 'dentist', key 'voise'");
		assertThat(this.meters.counter("voicebridge.profiles.reloads", "outcome", "refused").count()).isEqualTo(1);
		assertThat(this.meters.get("voicebridge.profiles.file.valid").gauge().value()).isZero();
		assertThat(profiles.select("dentist", null, null).profile().voice()).isEqualTo("cedar");

		Files.writeString(this.directory.resolve("profiles.yaml"), FILE);
		profiles.reloadIfChanged();
		assertThat(profiles.lastReload().outcome()).as("the file back as it is in force").isEqualTo("restored");
		assertThat(this.meters.get("voicebridge.profiles.file.valid").gauge().value()).isOne();
	}

	@Test
	void aFileMissingForAMomentThenBackAsItWasClearsTheRefusal() throws IOException {
		Profiles profiles = load(FILE);
		Path file = this.directory.resolve("profiles.yaml");
		Files.delete(file);
		profiles.reloadIfChanged();
		assertThat(profiles.lastReload().refused()).isTrue();
		Files.writeString(file, FILE);
		profiles.reloadIfChanged();
		assertThat(profiles.lastReload().outcome()).isEqualTo("restored");
		assertThat(this.meters.get("voicebridge.profiles.file.valid").gauge().value()).isOne();
	}

	@Test
	void aProfileOnAnotherProvidersUrlMustSayWhereItsTextApiIs() throws IOException {
		assertThatThrownBy(() -> load(FILE.replace("wss://contoso-eu.openai.azure.com/openai/v1/realtime",
				"wss://gateway.example.com/v1/realtime")))
			.hasMessageContaining("profile 'regional', key 'realtime-url': gateway.example.com is neither OpenAI nor Azure")
			.hasMessageContaining("set api-base-url too");
	}

	@Test
	void withoutAFileEveryCallGetsTheEnvironmentsOneProfile() {
		Profiles profiles = Profiles.implicit(this.agent, this.openai, new BridgeProperties.Fallback("Sorry.", null),
				this.meters);
		assertThat(profiles.isSingle()).isTrue();
		assertThat(profiles.select("dentist", "premium", "+15550001111").profile()).extracting(CallProfile::id,
				CallProfile::plan, CallProfile::instructions)
			.containsExactly("default", null, "Environment instructions.");
		assertThat(profiles.reload().outcome()).isEqualTo("no-file");
	}

	@Test
	void theWorkedFileOfTheDocsIsValid() throws IOException {
		String doc = Files.readString(Path.of("docs/profiles.md"));
		int start = doc.indexOf("```yaml\n") + "```yaml\n".length();
		String yaml = doc.substring(start, doc.indexOf("```", start));
		Path file = this.directory.resolve("worked.yaml");
		Files.writeString(file, yaml);
		Profiles profiles = new Profiles(file, new ProfileSet.Environment(this.agent, this.openai,
				new BridgeProperties.Fallback("Sorry.", null), Map.of("BOULANGERIE_AZURE_KEY", "k")::get, true),
				this.meters, Clock.systemUTC());
		assertThat(profiles.ids()).containsExactly("head-office", "dentist", "bakery");
		assertThat(profiles.select(null, null, "+15550003334").profile().upstream().kind()).isEqualTo("azure");
		assertThat(profiles.select("dentist", "premium", null).profile().voice()).isEqualTo("marin");
	}

	private Profiles load(String yaml) throws IOException {
		Path file = this.directory.resolve("profiles.yaml");
		Files.writeString(file, yaml);
		Map<String, String> variables = Map.of("CONTOSO_EU_KEY", "eu-key");
		return new Profiles(file, new ProfileSet.Environment(this.agent, this.openai,
				new BridgeProperties.Fallback("Sorry.", null), variables::get, true), this.meters, Clock.systemUTC());
	}

}

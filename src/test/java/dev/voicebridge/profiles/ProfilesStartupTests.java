package dev.voicebridge.profiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.voicebridge.config.AgentProperties;
import dev.voicebridge.config.BridgeProperties;
import dev.voicebridge.config.InvalidSettingFailureAnalyzer;
import dev.voicebridge.config.OpenAiProperties;
import dev.voicebridge.config.ProfilesProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An invalid profiles file stops start-up with one message naming the file, the profile and the
 * key; a valid one starts, and calls then get its profiles.
 */
class ProfilesStartupTests {

	@TempDir
	Path directory;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(Infrastructure.class, ProfilesConfiguration.class);

	@Test
	void startsWithAValidFileAndSelectsItsProfiles() throws IOException {
		Path file = write("""
				default: main
				profiles:
				  main:
				    instructions: You are Main Street's receptionist.
				  dentist:
				    numbers: ["+15550001111"]
				    voice: cedar
				""");
		this.runner.withPropertyValues("voicebridge.profiles.file=" + file).run((context) -> {
			assertThat(context).hasNotFailed();
			Profiles profiles = context.getBean(Profiles.class);
			assertThat(profiles.select(null, null, "+15550001111").profile().voice()).isEqualTo("cedar");
			assertThat(profiles.select(null, null, "+15559999999").profile().instructions())
				.isEqualTo("You are Main Street's receptionist.");
		});
	}

	@Test
	void anUnknownKeyNamesTheFileTheProfileTheKeyAndTheLine() throws IOException {
		Path file = write("""
				default: main
				profiles:
				  main:
				    voise: cedar
				""");
		fails(file, "profile 'main', key 'voise' (line 4): not a profile setting; the settings are numbers, instructions");
	}

	@Test
	void aNumberThatIsNotE164IsNamed() throws IOException {
		Path file = write("""
				default: main
				profiles:
				  main:
				    numbers: ["555-0100"]
				""");
		fails(file, "profile 'main', key 'numbers' (line 4): '555-0100' is not an E.164 phone number");
	}

	@Test
	void aNumberClaimedByTwoProfilesNamesBoth() throws IOException {
		Path file = write("""
				default: main
				profiles:
				  main:
				    numbers: ["+15550001111"]
				  dentist:
				    numbers: ["+15550002222", "+15550001111"]
				""");
		fails(file, "profile 'dentist', key 'numbers': +15550001111 is already claimed by profile 'main'");
	}

	@Test
	void aMissingDefaultIsNamed() throws IOException {
		fails(write("""
				profiles:
				  main:
				    voice: cedar
				"""), "has no 'default'");
		fails(write("""
				default: front-desk
				profiles:
				  main:
				    voice: cedar
				"""), "'default' names profile 'front-desk', which is not under 'profiles' (there: main)");
	}

	@Test
	void aProbabilityOutsideZeroToOneIsNamed() throws IOException {
		Path file = write("""
				default: main
				profiles:
				  main:
				    plans:
				      trial:
				        realtime-probability: 1.5
				""");
		fails(file, "profile 'main', plan 'trial', key 'realtime-probability' (line 6): must be a share of calls from 0 to 1, was 1.5");
	}

	@Test
	void otherMistakesAreNamedToo() throws IOException {
		fails(write("default: main\nprofiles:\n  main:\n    mode: sometimes\n"),
				"profile 'main', key 'mode' (line 4): must be stream or traditional");
		fails(write("default: main\nprofiles:\n  main:\n    voice: cedar\n    voice: marin\n"),
				"profile 'main', key 'voice' (line 5): set twice");
		fails(write("default: main\nprofiles:\n  main:\n    api-key-variable: sk-live-not-a-variable-name\n"),
				"must name an environment variable (upper case, digits and _) that holds the key");
		fails(write("default: main\nprofiles:\n  main:\n    api-key-variable: DENTIST_OPENAI_KEY\n"),
				"profile 'main', key 'api-key-variable': the environment variable DENTIST_OPENAI_KEY is not set");
		fails(write("default: main\nprofiles:\n  main:\n    language: klingon\n"),
				"profile 'main', key 'language' (line 4): must be a Twilio <Say> language such as en-US");
		fails(write("default: main\nprofile:\n  main: {}\n"), "unknown top-level key 'profile' (line 2)");
		fails(write("default: [main\n"), "is not valid YAML");
		fails(this.directory.resolve("missing.yaml"), "cannot be read");
	}

	@Test
	void aKeyNeverAppearsInTheMessage() throws IOException {
		Path file = write("default: main\nprofiles:\n  main:\n    api-key-variable: \"sk-proj-abc123\"\n");
		this.runner.withPropertyValues("voicebridge.profiles.file=" + file).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new InvalidSettingFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).doesNotContain("sk-proj-abc123");
		});
	}

	private void fails(Path file, String problem) {
		this.runner.withPropertyValues("voicebridge.profiles.file=" + file).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new InvalidSettingFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).as("a failure analysis for %s", problem).isNotNull();
			assertThat(analysis.getDescription())
				.startsWith("Invalid configuration: PROFILES_FILE (voicebridge.profiles.file) " + file + " ")
				.contains(problem);
			assertThat(analysis.getAction()).contains("PROFILES_FILE");
		});
	}

	private Path write(String yaml) throws IOException {
		Path file = Files.createTempFile(this.directory, "profiles", ".yaml");
		Files.writeString(file, yaml);
		return file;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ ProfilesProperties.class, AgentProperties.class, OpenAiProperties.class,
			BridgeProperties.class })
	static class Infrastructure {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		Clock clock() {
			return Clock.systemUTC();
		}

	}

}

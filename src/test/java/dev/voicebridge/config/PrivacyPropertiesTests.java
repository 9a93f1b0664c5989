package dev.voicebridge.config;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** What the logs may say about a caller: counts and stars, unless {@code LOG_TRANSCRIPTS} is set. */
class PrivacyPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Enabled.class);

	@Test
	void transcriptsAndDigitsAreMaskedByDefault() {
		this.runner.run((context) -> {
			PrivacyProperties privacy = context.getBean(PrivacyProperties.class);
			assertThat(privacy.transcript("my card is 4111 1111 1111 1111"))
				.isEqualTo("(7 words; LOG_TRANSCRIPTS=true logs them)");
			assertThat(privacy.digit("7")).isEqualTo("*");
		});
	}

	@Test
	void theSettingLogsThemInFull() {
		this.runner.withPropertyValues("voicebridge.privacy.log-transcripts=true").run((context) -> {
			PrivacyProperties privacy = context.getBean(PrivacyProperties.class);
			assertThat(privacy.transcript("I need a refund")).isEqualTo("I need a refund");
			assertThat(privacy.digit("7")).isEqualTo("7");
		});
	}

	@Test
	void theEnvironmentVariableSetsIt() {
		assertThat(EnvironmentVariables.variableFor("voicebridge.privacy.log-transcripts")).contains("LOG_TRANSCRIPTS");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(PrivacyProperties.class)
	static class Enabled {

	}

}

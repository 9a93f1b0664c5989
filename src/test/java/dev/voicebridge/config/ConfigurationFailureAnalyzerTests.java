package dev.voicebridge.config;

import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invalid configuration stops start-up with one message naming the variable to fix.
 */
class ConfigurationFailureAnalyzerTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(AllProperties.class);

	@Test
	void namesTheVariableAndListsTheChoicesForAnEnum() {
		analyse("voicebridge.openai.turn-detection=loud", (analysis) -> assertThat(analysis.getDescription())
			.isEqualTo("Invalid configuration: OPENAI_TURN_DETECTION (voicebridge.openai.turn-detection) = \"loud\""
					+ " must be one of server_vad, semantic_vad"));
	}

	@Test
	void namesTheVariableForAValueThatDoesNotConvert() {
		analyse("voicebridge.drain-timeout=forever", (analysis) -> {
			assertThat(analysis.getDescription()).startsWith("Invalid configuration: DRAIN_TIMEOUT (voicebridge.drain-timeout)")
				.contains("forever");
			assertThat(analysis.getAction()).contains("DRAIN_TIMEOUT");
		});
	}

	@Test
	void namesTheVariableForASettingThatBindsButMakesNoSense() {
		analyse("voicebridge.openai.realtime-url=https://api.openai.com/v1/realtime",
				(analysis) -> assertThat(analysis.getDescription())
					.startsWith("Invalid configuration: OPENAI_REALTIME_URL (voicebridge.openai.realtime-url) must start with wss://"));
		analyse("voicebridge.public-url=/relative", (analysis) -> assertThat(analysis.getDescription())
			.startsWith("Invalid configuration: PUBLIC_URL (voicebridge.public-url) must be an absolute URL"));
	}

	@Test
	void namesTheVariablesOfRoutingAndTraditionalMode() {
		analyse("voicebridge.routing.realtime-probability=1.5", (analysis) -> assertThat(analysis.getDescription())
			.startsWith("Invalid configuration: REALTIME_PROBABILITY (voicebridge.routing.realtime-probability) must be"
					+ " a share of calls from 0.0 to 1.0, was 1.5"));
		analyse("voicebridge.routing.realtime-probability=often", (analysis) -> assertThat(analysis.getDescription())
			.startsWith("Invalid configuration: REALTIME_PROBABILITY (voicebridge.routing.realtime-probability)"));
		analyse("voicebridge.openai.api-base-url=ftp://example.com", (analysis) -> assertThat(analysis.getDescription())
			.startsWith("Invalid configuration: OPENAI_API_BASE_URL (voicebridge.openai.api-base-url) must start with"
					+ " https://"));
	}

	@Test
	void refusesACleartextUpstreamOffLoopbackAndCredentialsInItsUrl() {
		analyse("voicebridge.openai.realtime-url=ws://realtime.example.com/v1/realtime", (analysis) -> assertThat(
				analysis.getDescription())
			.startsWith("Invalid configuration: OPENAI_REALTIME_URL (voicebridge.openai.realtime-url) sends the key in "
					+ "cleartext with ws:// to realtime.example.com"));
		analyse("voicebridge.openai.api-base-url=http://llm.example.com/v1", (analysis) -> assertThat(
				analysis.getDescription())
			.startsWith("Invalid configuration: OPENAI_API_BASE_URL (voicebridge.openai.api-base-url) sends the key in "
					+ "cleartext with http://"));
		analyse("voicebridge.openai.realtime-url=wss://user:sk-in-the-url@gateway.example.com/v1/realtime",
				(analysis) -> assertThat(analysis.getDescription()).contains("must not carry user info")
					.doesNotContain("sk-in-the-url"));
	}

	@Test
	void namesTheVariablesOfCallInsight() {
		analyse("voicebridge.calls.events-url=https://crm.example.com/hooks", (analysis) -> assertThat(
				analysis.getDescription())
			.startsWith("Invalid configuration: CALL_EVENTS_SECRET (voicebridge.calls.events-secret) must be set when"
					+ " CALL_EVENTS_URL is"));
		analyse("voicebridge.calls.dtmf=loud", (analysis) -> assertThat(analysis.getDescription())
			.isEqualTo("Invalid configuration: DTMF_MODE (voicebridge.calls.dtmf) = \"loud\" must be one of agent, ignore"));
		analyse("voicebridge.calls.max-call-duration=200ms", (analysis) -> assertThat(analysis.getDescription())
			.startsWith("Invalid configuration: MAX_CALL_DURATION (voicebridge.calls.max-call-duration) must be at least 1s"));
	}

	@Test
	void leavesSettingsWithoutAVariableToBootsOwnAnalysis() {
		this.runner.withPropertyValues("voicebridge.media.max-frame-size=huge").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(new ConfigurationFailureAnalyzer().analyze(context.getStartupFailure())).isNull();
		});
	}

	private void analyse(String property, Consumer<FailureAnalysis> check) {
		this.runner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new ConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			check.accept(analysis);
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ BridgeProperties.class, OpenAiProperties.class, AgentProperties.class,
			TwilioProperties.class, RoutingProperties.class, TraditionalProperties.class, CallInsightProperties.class })
	static class AllProperties {

	}

}

package dev.voicebridge.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for binding and validating the {@code voicebridge.*} properties, and for turning the
 * contract's environment variables into them.
 */
class ConfigurationBindingTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(PropertiesConfiguration.class);

	@Test
	void bindsDefaults() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			OpenAiProperties openAi = context.getBean(OpenAiProperties.class);
			assertThat(openAi.apiKey()).isNull();
			assertThat(openAi.enabled()).isFalse();
			assertThat(openAi.realtimeUrl()).isEqualTo(URI.create("wss://api.openai.com/v1/realtime"));
			assertThat(openAi.model()).isEqualTo("gpt-realtime");
			assertThat(openAi.voice()).isEqualTo("marin");
			assertThat(openAi.turnDetection()).isEqualTo(OpenAiProperties.TurnDetection.SERVER_VAD);
			assertThat(openAi.turnDetection().wireName()).isEqualTo("server_vad");
			assertThat(openAi.transcriptionModel()).isNull();
			assertThat(openAi.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
			assertThat(openAi.connectUri())
				.isEqualTo(URI.create("wss://api.openai.com/v1/realtime?model=gpt-realtime"));
			assertThat(openAi.chatCompletionsUrl()).isEqualTo("https://api.openai.com/v1/chat/completions");
			assertThat(openAi.textModel()).isEqualTo("gpt-4.1-mini");
			RoutingProperties routing = context.getBean(RoutingProperties.class);
			assertThat(routing.realtimeProbability()).isEqualTo(1.0);
			assertThat(routing.breaker().failures()).isEqualTo(3);
			assertThat(routing.breaker().window()).isEqualTo(Duration.ofMinutes(5));
			assertThat(routing.breaker().trialEvery()).isEqualTo(10);
			TraditionalProperties traditional = context.getBean(TraditionalProperties.class);
			assertThat(traditional.replyTimeout()).isEqualTo(Duration.ofSeconds(8));
			assertThat(traditional.conversationTtl()).isEqualTo(Duration.ofMinutes(10));

			BridgeProperties bridge = context.getBean(BridgeProperties.class);
			assertThat(bridge.publicUrl()).isNull();
			assertThat(bridge.adminToken()).isNull();
			assertThat(bridge.drainTimeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(bridge.fallback().message()).isEqualTo(BridgeProperties.Fallback.DEFAULT_FALLBACK);
			assertThat(bridge.fallback().number()).isNull();
			assertThat(bridge.media().maxFrameSize()).isEqualTo(DataSize.ofKilobytes(16));
			assertThat(bridge.media().preSessionBuffer()).isEqualTo(Duration.ofSeconds(10));
			assertThat(bridge.media().preSessionFrames()).isEqualTo(500);
			assertThat(bridge.media().sendBufferLimit()).isEqualTo(DataSize.ofMegabytes(1));
			assertThat(bridge.media().sendTimeLimit()).isEqualTo(Duration.ofSeconds(5));

			TwilioProperties twilio = context.getBean(TwilioProperties.class);
			assertThat(twilio.validateSignatures()).isTrue();
			assertThat(twilio.authToken()).isNull();
			assertThat(twilio.checksSignatures()).isFalse();

			AgentProperties agent = context.getBean(AgentProperties.class);
			assertThat(agent.instructions()).isEqualTo(AgentProperties.DEFAULT_INSTRUCTIONS);
			assertThat(agent.greeting()).isNull();
		});
	}

	@Test
	void bindsSemanticVadTurnDetection() {
		this.runner.withPropertyValues("voicebridge.openai.turn-detection=semantic_vad").run((context) -> {
			assertThat(context).hasNotFailed();
			OpenAiProperties openAi = context.getBean(OpenAiProperties.class);
			assertThat(openAi.turnDetection()).isEqualTo(OpenAiProperties.TurnDetection.SEMANTIC_VAD);
			assertThat(openAi.turnDetection().wireName()).isEqualTo("semantic_vad");
		});
	}

	@Test
	void bindsExplicitValues() {
		this.runner
			.withPropertyValues("voicebridge.public-url=https://x.example.com/bridge", "voicebridge.drain-timeout=45s",
					"voicebridge.fallback.number=+15550001111", "voicebridge.media.pre-session-buffer=5s",
					"voicebridge.openai.api-key=sk-test",
					"voicebridge.openai.realtime-url=ws://localhost:9000/v1/realtime",
					"voicebridge.openai.model=gpt-x", "voicebridge.openai.transcription-model= whisper-1 ",
					"voicebridge.twilio.auth-token=token", "voicebridge.twilio.validate-signatures=false",
					"voicebridge.agent.greeting=  Hello!  ")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				BridgeProperties bridge = context.getBean(BridgeProperties.class);
				assertThat(bridge.publicUrl()).isEqualTo(URI.create("https://x.example.com/bridge"));
				assertThat(bridge.drainTimeout()).isEqualTo(Duration.ofSeconds(45));
				assertThat(bridge.fallback().number()).isEqualTo("+15550001111");
				assertThat(bridge.media().preSessionFrames()).isEqualTo(250);
				OpenAiProperties openAi = context.getBean(OpenAiProperties.class);
				assertThat(openAi.enabled()).isTrue();
				assertThat(openAi.transcriptionModel()).isEqualTo("whisper-1");
				assertThat(openAi.connectUri()).isEqualTo(URI.create("ws://localhost:9000/v1/realtime?model=gpt-x"));
				TwilioProperties twilio = context.getBean(TwilioProperties.class);
				assertThat(twilio.validateSignatures()).isFalse();
				assertThat(twilio.checksSignatures()).isFalse();
				assertThat(context.getBean(AgentProperties.class).greeting()).isEqualTo("Hello!");
			});
	}

	@Test
	void signaturesAreCheckedWhenAnAuthTokenIsSet() {
		this.runner.withPropertyValues("voicebridge.twilio.auth-token=token").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(TwilioProperties.class).checksSignatures()).isTrue();
		});
	}

	@Test
	void blankApiKeyMeansDisabled() {
		this.runner.withPropertyValues("voicebridge.openai.api-key=   ").run((context) -> {
			assertThat(context).hasNotFailed();
			OpenAiProperties openAi = context.getBean(OpenAiProperties.class);
			assertThat(openAi.apiKey()).isNull();
			assertThat(openAi.enabled()).isFalse();
		});
	}

	@Test
	void apiKeyMeansEnabled() {
		this.runner.withPropertyValues("voicebridge.openai.api-key=sk-test").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(OpenAiProperties.class).enabled()).isTrue();
		});
	}

	@Test
	void unknownTurnDetectionFailsStartUp() {
		assertStartupFails("voicebridge.openai.turn-detection=loud", "voicebridge.openai.turn-detection");
	}

	@Test
	void httpRealtimeUrlFailsStartUp() {
		assertStartupFails("voicebridge.openai.realtime-url=http://x", "'voicebridge.openai'", "must start with wss://",
				"http://x");
	}

	@Test
	void realtimeUrlWithQueryFailsStartUp() {
		assertStartupFails("voicebridge.openai.realtime-url=wss://x.example.com/v1/realtime?model=gpt-x",
				"'voicebridge.openai'", "must not carry a query");
	}

	@Test
	void realtimeUrlFailuresNameTheProperty() {
		assertStartupFails("voicebridge.openai.realtime-url=http://x", "voicebridge.openai.realtime-url");
		assertStartupFails("voicebridge.openai.realtime-url=wss://x.example.com/v1/realtime?model=gpt-x",
				"voicebridge.openai.realtime-url");
	}

	@Test
	void shortPreSessionBufferFailsStartUp() {
		assertStartupFails("voicebridge.media.pre-session-buffer=2s", "voicebridge.media.pre-session-buffer");
	}

	@Test
	void publicUrlThatIsNotAUrlFailsStartUp() {
		assertStartupFails("voicebridge.public-url=not a url", "voicebridge.public-url");
	}

	@Test
	void relativePublicUrlFailsStartUp() {
		assertStartupFails("voicebridge.public-url=/relative", "'voicebridge'", "absolute URL");
	}

	@Test
	void relativePublicUrlFailureNamesTheProperty() {
		assertStartupFails("voicebridge.public-url=/relative", "voicebridge.public-url");
	}

	@Test
	void aShortAdminTokenStopsStartUpNamingTheVariableAndNotTheToken() {
		this.runner.withPropertyValues("voicebridge.admin-token=guessable-admin-1").run((context) -> {
			assertThat(context).hasFailed();
			String messages = messages(context.getStartupFailure());
			assertThat(messages).contains("ADMIN_TOKEN (voicebridge.admin-token)", "at least 32 characters", "was 17")
				.doesNotContain("guessable-admin-1");
		});
	}

	@Test
	void outboundPrefixesMustBeE164Prefixes() {
		assertStartupFails("voicebridge.outbound.allowed-prefixes=1,+44", "OUTBOUND_ALLOWED_PREFIXES",
				"E.164 prefixes");
		this.runner.withPropertyValues("voicebridge.outbound.allowed-prefixes= +1 , +44 ").run((context) -> {
			OutboundProperties outbound = context.getBean(OutboundProperties.class);
			assertThat(outbound.allowedPrefixes()).containsExactly("+1", "+44");
			assertThat(outbound.allows("+15551234567")).isTrue();
			assertThat(outbound.allows("+4930123456")).isFalse();
		});
		this.runner.run((context) -> assertThat(context.getBean(OutboundProperties.class).allows("+15551234567"))
			.as("nothing until set").isFalse());
	}

	@Test
	void limitsMustLeaveTheServiceUsable() {
		assertStartupFails("voicebridge.limits.websocket-connections=0", "MAX_WEBSOCKET_CONNECTIONS");
		assertStartupFails("voicebridge.limits.start-timeout=50ms", "voicebridge.limits.start-timeout");
		assertStartupFails("voicebridge.limits.stream-token-ttl=5s", "voicebridge.limits.stream-token-ttl");
		assertStartupFails("voicebridge.outbound.per-day=0", "OUTBOUND_CALLS_PER_DAY");
	}

	@Test
	void blankModelFailsValidation() {
		assertStartupFails("voicebridge.openai.model= ", "voicebridge.openai.model");
	}

	@Test
	void toStringNeverShowsSecrets() {
		this.runner
			.withPropertyValues("voicebridge.openai.api-key=sk-secret-key-123",
					"voicebridge.twilio.auth-token=twilio-secret-456",
					"voicebridge.admin-token=admin-secret-789-0123456789abcdef0123456789abcdef", "voicebridge.twilio.account-sid=AC123")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				String openAi = context.getBean(OpenAiProperties.class).toString();
				String twilio = context.getBean(TwilioProperties.class).toString();
				String bridge = context.getBean(BridgeProperties.class).toString();
				assertThat(context.getBean(OpenAiProperties.class).apiKey()).isEqualTo("sk-secret-key-123");
				assertThat(openAi).doesNotContain("sk-secret-key-123").contains("apiKey=****", "model=gpt-realtime");
				assertThat(twilio).doesNotContain("twilio-secret-456").contains("authToken=****", "accountSid=AC123");
				assertThat(bridge).doesNotContain("admin-secret-789-0123456789abcdef0123456789abcdef").contains("adminToken=****");
				for (String text : List.of(openAi, twilio, bridge)) {
					assertThat(text).doesNotContain("secret");
				}
			});
	}

	@Test
	void toStringSaysWhenSecretsAreUnset() {
		this.runner.run((context) -> {
			assertThat(context.getBean(OpenAiProperties.class).toString()).contains("apiKey=unset");
			assertThat(context.getBean(TwilioProperties.class).toString()).contains("authToken=unset");
			assertThat(context.getBean(BridgeProperties.class).toString()).contains("adminToken=unset");
		});
	}

	@Test
	void environmentVariablesBecomeVoicebridgeProperties() {
		Map<String, Object> variables = new LinkedHashMap<>();
		variables.put("OPENAI_MODEL", "gpt-x");
		variables.put("AGENT_GREETING", "  ");
		variables.put("OPENAI_TURN_DETECTION", "semantic_vad");
		variables.put("OPENAI_VOICE", "  cedar ");
		variables.put("UNRELATED", "x");
		StandardEnvironment environment = environmentWith(variables);

		new EnvironmentVariablesPostProcessor().postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getProperty("voicebridge.openai.model")).isEqualTo("gpt-x");
		assertThat(environment.getProperty("voicebridge.openai.turn-detection")).isEqualTo("semantic_vad");
		assertThat(environment.getProperty("voicebridge.openai.voice")).isEqualTo("cedar");
		assertThat(environment.containsProperty("voicebridge.agent.greeting")).isFalse();
		PropertySource<?> source = environment.getPropertySources().get(EnvironmentVariablesPostProcessor.SOURCE_NAME);
		assertThat(source).isNotNull();
		assertThat(source.containsProperty("voicebridge.agent.greeting")).isFalse();
		assertThat(source.containsProperty("UNRELATED")).isFalse();
		@SuppressWarnings("unchecked")
		OriginLookup<String> origins = (OriginLookup<String>) source;
		assertThat(origins.getOrigin("voicebridge.openai.model")).hasToString("environment variable OPENAI_MODEL");
		assertThat(origins.getOrigin("voicebridge.agent.greeting")).isNull();
	}

	@Test
	void environmentVariablesSitJustAfterTheSystemEnvironment() {
		StandardEnvironment environment = environmentWith(Map.of("OPENAI_MODEL", "gpt-x"));

		new EnvironmentVariablesPostProcessor().postProcessEnvironment(environment, new SpringApplication());

		List<String> names = new ArrayList<>();
		environment.getPropertySources().forEach((source) -> names.add(source.getName()));
		int system = names.indexOf(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		assertThat(system).isNotNegative();
		assertThat(names.get(system + 1)).isEqualTo(EnvironmentVariablesPostProcessor.SOURCE_NAME);
	}

	@Test
	void noEnvironmentVariablesAddNoPropertySource() {
		StandardEnvironment environment = environmentWith(Map.of("OPENAI_MODEL", " ", "HOME", "/root"));

		new EnvironmentVariablesPostProcessor().postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getPropertySources().contains(EnvironmentVariablesPostProcessor.SOURCE_NAME)).isFalse();
	}

	@Test
	void environmentVariablesBindThroughTheProperties() {
		PropertySource<?> source = processedSource(
				Map.of("OPENAI_MODEL", "gpt-x", "OPENAI_TURN_DETECTION", "semantic_vad", "AGENT_GREETING", "  "));

		this.runner.withInitializer((context) -> context.getEnvironment().getPropertySources().addFirst(source))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				OpenAiProperties openAi = context.getBean(OpenAiProperties.class);
				assertThat(openAi.model()).isEqualTo("gpt-x");
				assertThat(openAi.turnDetection()).isEqualTo(OpenAiProperties.TurnDetection.SEMANTIC_VAD);
				assertThat(context.getBean(AgentProperties.class).greeting()).isNull();
			});
	}

	@Test
	void bindingErrorFromAnEnvironmentVariableNamesTheVariable() {
		PropertySource<?> source = processedSource(Map.of("OPENAI_TURN_DETECTION", "loud"));

		this.runner.withInitializer((context) -> context.getEnvironment().getPropertySources().addFirst(source))
			.run((context) -> {
				assertThat(context).hasFailed();
				BindException bindException = findCause(context.getStartupFailure(), BindException.class);
				assertThat(bindException).isNotNull();
				assertThat(bindException.getName()).hasToString("voicebridge.openai.turn-detection");
				assertThat(bindException.getProperty().getOrigin())
					.hasToString("environment variable OPENAI_TURN_DETECTION");
			});
	}

	@Test
	void variableForNamesTheContractVariable() {
		assertThat(EnvironmentVariables.variableFor("voicebridge.openai.api-key")).hasValue("OPENAI_API_KEY");
		assertThat(EnvironmentVariables.variableFor("voicebridge.public-url")).hasValue("PUBLIC_URL");
		assertThat(EnvironmentVariables.variableFor("voicebridge.twilio.validate-signatures"))
			.hasValue("TWILIO_VALIDATE_SIGNATURES");
		assertThat(EnvironmentVariables.variableFor("voicebridge.openai.unknown")).isEmpty();
		assertThat(EnvironmentVariables.variableFor("voicebridge.openai")).isEmpty();
	}

	@Test
	void everyContractVariableSetsAProperty() {
		Map<String, String> all = EnvironmentVariables.all();

		// DESIGN.md §3 lists these, less PORT (Spring's server.port)
		assertThat(all).containsKeys("PUBLIC_URL", "OPENAI_API_KEY", "OPENAI_REALTIME_URL", "OPENAI_MODEL",
				"OPENAI_VOICE", "AGENT_INSTRUCTIONS", "AGENT_GREETING", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN",
				"TWILIO_PHONE_NUMBER", "ADMIN_TOKEN", "OPENAI_TURN_DETECTION", "OPENAI_TRANSCRIPTION_MODEL",
				"TWILIO_VALIDATE_SIGNATURES", "FALLBACK_MESSAGE", "FALLBACK_NUMBER", "DRAIN_TIMEOUT",
				"REALTIME_PROBABILITY", "OPENAI_API_BASE_URL", "OPENAI_TEXT_MODEL", "TRANSFER_NUMBER",
				"TWILIO_API_BASE_URL", "REDIS_URL");
		all.forEach((variable, property) -> {
			// Redis is Spring Data's own setting; everything else is ours
			assertThat(property).startsWith(variable.equals("REDIS_URL") ? "spring.data.redis." : "voicebridge.");
			assertThat(EnvironmentVariables.variableFor(property)).hasValue(variable);
		});
	}

	private void assertStartupFails(String property, String... expectedInMessages) {
		this.runner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			assertThat(failure).isNotNull();
			assertThat(messages(failure)).contains(expectedInMessages);
		});
	}

	private static String messages(Throwable failure) {
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			messages.append(cause.getMessage()).append('\n');
		}
		return messages.toString();
	}

	private static PropertySource<?> processedSource(Map<String, Object> variables) {
		StandardEnvironment environment = environmentWith(variables);
		new EnvironmentVariablesPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		PropertySource<?> source = environment.getPropertySources().get(EnvironmentVariablesPostProcessor.SOURCE_NAME);
		assertThat(source).isNotNull();
		return source;
	}

	private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

	private static StandardEnvironment environmentWith(Map<String, Object> variables) {
		StandardEnvironment environment = new StandardEnvironment() {

			@Override
			public Map<String, Object> getSystemEnvironment() {
				return variables;
			}

		};
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
							variables));
		return environment;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ BridgeProperties.class, OpenAiProperties.class, AgentProperties.class,
			TwilioProperties.class, RoutingProperties.class, TraditionalProperties.class, OutboundProperties.class,
			LimitsProperties.class })
	static class PropertiesConfiguration {

	}

}

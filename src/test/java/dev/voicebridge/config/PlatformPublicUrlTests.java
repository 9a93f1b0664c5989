package dev.voicebridge.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.logging.impl.SimpleLog;
import org.junit.jupiter.api.Test;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for deriving the public URL from Railway's, Render's and Fly.io's own variables when
 * {@code PUBLIC_URL} is unset, and for saying at start-up where the public URL came from.
 */
class PlatformPublicUrlTests {

	private final List<String> warnings = new ArrayList<>();

	private final RecordingLog log = new RecordingLog();

	@Test
	void railwayPublicDomainBecomesAnHttpsUrl() {
		assertThat(detect(Map.of("RAILWAY_PUBLIC_DOMAIN", "My-App.up.railway.app")))
			.hasValue(new PlatformPublicUrl("RAILWAY_PUBLIC_DOMAIN", "https://my-app.up.railway.app"));
	}

	@Test
	void renderExternalUrlIsAlreadyAUrl() {
		assertThat(detect(Map.of("RENDER_EXTERNAL_URL", " https://my-app.onrender.com/ ")))
			.hasValue(new PlatformPublicUrl("RENDER_EXTERNAL_URL", "https://my-app.onrender.com"));
	}

	@Test
	void flyAppNameBecomesItsFlyDevHost() {
		assertThat(detect(Map.of("FLY_APP_NAME", "voice-bridge-7")))
			.hasValue(new PlatformPublicUrl("FLY_APP_NAME", "https://voice-bridge-7.fly.dev"));
	}

	@Test
	void platformsAreTriedInDocumentedOrder() {
		Map<String, Object> all = Map.of("FLY_APP_NAME", "f", "RENDER_EXTERNAL_URL", "https://r.onrender.com",
				"RAILWAY_PUBLIC_DOMAIN", "r.up.railway.app");
		assertThat(detect(all)).map(PlatformPublicUrl::variable).hasValue("RAILWAY_PUBLIC_DOMAIN");
		Map<String, Object> renderAndFly = Map.of("FLY_APP_NAME", "f", "RENDER_EXTERNAL_URL", "https://r.onrender.com");
		assertThat(detect(renderAndFly)).map(PlatformPublicUrl::variable).hasValue("RENDER_EXTERNAL_URL");
	}

	@Test
	void unusableValuesAreSkippedWithAWarningNamingTheVariable() {
		assertThat(detect(Map.of("RENDER_EXTERNAL_URL", "http://my-app.onrender.com"))).isEmpty();
		assertThat(detect(Map.of("RENDER_EXTERNAL_URL", "https://my-app.onrender.com/base"))).isEmpty();
		assertThat(detect(Map.of("RENDER_EXTERNAL_URL", "https://my-app.onrender.com?x=1"))).isEmpty();
		assertThat(detect(Map.of("RAILWAY_PUBLIC_DOMAIN", "https://my-app.up.railway.app"))).isEmpty();
		assertThat(detect(Map.of("RAILWAY_PUBLIC_DOMAIN", "my app"))).isEmpty();
		assertThat(detect(Map.of("FLY_APP_NAME", "My.App"))).isEmpty();
		assertThat(this.warnings).hasSize(6).allSatisfy((warning) -> assertThat(warning).contains("set PUBLIC_URL"));
		assertThat(this.warnings.get(0)).startsWith("[Config] ignoring RENDER_EXTERNAL_URL=\"http://my-app.onrender.com\"");
	}

	@Test
	void anUnusableValueFallsThroughToTheNextPlatform() {
		assertThat(detect(Map.of("RAILWAY_PUBLIC_DOMAIN", "a b", "FLY_APP_NAME", "vb")))
			.hasValue(new PlatformPublicUrl("FLY_APP_NAME", "https://vb.fly.dev"));
		assertThat(this.warnings).singleElement().asString().contains("RAILWAY_PUBLIC_DOMAIN");
	}

	@Test
	void blankOrMissingVariablesDeriveNothing() {
		assertThat(detect(Map.of("RAILWAY_PUBLIC_DOMAIN", "  ", "HOME", "/root"))).isEmpty();
		assertThat(this.warnings).isEmpty();
	}

	@Test
	void withoutPublicUrlThePlatformUrlBecomesTheLowestPrecedenceProperty() {
		StandardEnvironment environment = environmentWith(Map.of("RAILWAY_PUBLIC_DOMAIN", "vb.up.railway.app"));

		postProcess(environment);

		assertThat(environment.getProperty("voicebridge.public-url")).isEqualTo("https://vb.up.railway.app");
		PropertySource<?> last = environment.getPropertySources().stream().reduce((first, second) -> second).orElseThrow();
		assertThat(last.getName()).isEqualTo(PlatformPublicUrl.SOURCE_NAME);
		@SuppressWarnings("unchecked")
		OriginLookup<String> origins = (OriginLookup<String>) last;
		assertThat(origins.getOrigin("voicebridge.public-url")).hasToString("environment variable RAILWAY_PUBLIC_DOMAIN");
		assertThat(this.log.lines).containsExactly(
				"INFO [Config] PUBLIC_URL is not set: public URL https://vb.up.railway.app derived from RAILWAY_PUBLIC_DOMAIN");
	}

	@Test
	void publicUrlWinsOverThePlatform() {
		StandardEnvironment environment = environmentWith(
				Map.of("PUBLIC_URL", "https://calls.example.com", "FLY_APP_NAME", "vb"));

		postProcess(environment);

		assertThat(environment.getProperty("voicebridge.public-url")).isEqualTo("https://calls.example.com");
		assertThat(environment.getPropertySources().contains(PlatformPublicUrl.SOURCE_NAME)).isFalse();
		assertThat(this.log.lines).containsExactly("INFO [Config] public URL https://calls.example.com from PUBLIC_URL");
	}

	@Test
	void aPublicUrlPropertySetElsewhereWinsOverThePlatform() {
		StandardEnvironment environment = environmentWith(Map.of("FLY_APP_NAME", "vb"));
		environment.getPropertySources()
			.addLast(new MapPropertySource("applicationYml", Map.of("voicebridge.public-url", "https://yml.example.com")));

		postProcess(environment);

		assertThat(environment.getProperty("voicebridge.public-url")).isEqualTo("https://yml.example.com");
		assertThat(environment.getPropertySources().contains(PlatformPublicUrl.SOURCE_NAME)).isFalse();
		assertThat(this.log.lines)
			.containsExactly("INFO [Config] public URL https://yml.example.com from voicebridge.public-url");
	}

	@Test
	void withNothingToGoOnTheLogSaysUrlsAreDerivedPerRequest() {
		StandardEnvironment environment = environmentWith(Map.of("RENDER_EXTERNAL_URL", "not a url"));

		postProcess(environment);

		assertThat(environment.containsProperty("voicebridge.public-url")).isFalse();
		assertThat(this.log.lines).hasSize(2);
		assertThat(this.log.lines.get(0)).startsWith("WARN [Config] ignoring RENDER_EXTERNAL_URL=\"not a url\"");
		assertThat(this.log.lines.get(1)).startsWith("INFO [Config] PUBLIC_URL is not set: each webhook derives");
	}

	@Test
	void theDerivedUrlBindsAsThePublicUrl() {
		StandardEnvironment processed = environmentWith(Map.of("FLY_APP_NAME", "vb"));
		postProcess(processed);
		PropertySource<?> source = processed.getPropertySources().get(PlatformPublicUrl.SOURCE_NAME);

		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
			.withUserConfiguration(PropertiesConfiguration.class)
			.withInitializer((context) -> context.getEnvironment().getPropertySources().addLast(source))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(BridgeProperties.class).publicUrl())
					.isEqualTo(URI.create("https://vb.fly.dev"));
			});
	}

	@Test
	void springBootCreatesThePostProcessorWithItsDeferredLog() {
		DeferredLogFactory logFactory = (destination) -> this.log;

		List<EnvironmentPostProcessor> processors = SpringFactoriesLoader.forDefaultResourceLocation()
			.load(EnvironmentPostProcessor.class, ArgumentResolver.of(DeferredLogFactory.class, logFactory));
		EnvironmentPostProcessor ours = processors.stream()
			.filter(EnvironmentVariablesPostProcessor.class::isInstance)
			.findFirst()
			.orElseThrow();
		ours.postProcessEnvironment(environmentWith(Map.of("FLY_APP_NAME", "vb")), new SpringApplication());

		assertThat(this.log.lines).singleElement().asString().endsWith("derived from FLY_APP_NAME");
	}

	private Optional<PlatformPublicUrl> detect(Map<String, ?> environment) {
		return PlatformPublicUrl.detect(environment, this.warnings::add);
	}

	private void postProcess(StandardEnvironment environment) {
		new EnvironmentVariablesPostProcessor((destination) -> this.log).postProcessEnvironment(environment,
				new SpringApplication());
	}

	private static StandardEnvironment environmentWith(Map<String, Object> variables) {
		Map<String, Object> copy = new LinkedHashMap<>(variables);
		StandardEnvironment environment = new StandardEnvironment() {

			@Override
			public Map<String, Object> getSystemEnvironment() {
				return copy;
			}

		};
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
							copy));
		return environment;
	}

	/** Keeps what was logged, with its level, so a test can say what an operator would read. */
	static final class RecordingLog extends SimpleLog {

		private final List<String> lines = new ArrayList<>();

		RecordingLog() {
			super("test");
			setLevel(LOG_LEVEL_ALL);
		}

		@Override
		protected void log(int type, Object message, Throwable t) {
			String level = switch (type) {
				case LOG_LEVEL_WARN -> "WARN";
				case LOG_LEVEL_INFO -> "INFO";
				default -> "OTHER";
			};
			this.lines.add(level + " " + message);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(BridgeProperties.class)
	static class PropertiesConfiguration {

	}

}

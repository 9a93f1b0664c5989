package dev.voicebridge.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Turns the contract's environment variables ({@code OPENAI_API_KEY}, ...) into
 * {@code voicebridge.*} properties. Blank variables count as unset. The source sits just after
 * the system environment, so command-line arguments still win and application files lose.
 * Without any public URL setting, the platform's own variables supply one ({@link PlatformPublicUrl}).
 */
public class EnvironmentVariablesPostProcessor implements EnvironmentPostProcessor {

	static final String SOURCE_NAME = "voicebridgeEnvironmentVariables";

	private static final String PUBLIC_URL_PROPERTY = "voicebridge.public-url";

	// deferred: logging is not initialised yet when environment post-processors run
	private final Log logger;

	public EnvironmentVariablesPostProcessor(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(EnvironmentVariablesPostProcessor.class);
	}

	/** Logs straight away, for tests. */
	EnvironmentVariablesPostProcessor() {
		this(Supplier::get);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Map<String, Object> properties = new LinkedHashMap<>();
		EnvironmentVariables.all().forEach((variable, property) -> {
			String value = environment.getSystemEnvironment().get(variable) instanceof String text ? text : null;
			if (value != null && !value.isBlank()) {
				properties.put(property, value.strip());
			}
		});
		addPlatformPublicUrl(environment, properties);
		if (properties.isEmpty()) {
			return;
		}
		var source = new VariablesPropertySource(properties);
		var sources = environment.getPropertySources();
		if (sources.contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
			sources.addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, source);
		}
		else {
			sources.addLast(source);
		}
	}

	/**
	 * Derives the public URL from the platform when nothing sets it, as the lowest-precedence
	 * source, and logs where the public URL comes from.
	 */
	private void addPlatformPublicUrl(ConfigurableEnvironment environment, Map<String, Object> properties) {
		if (properties.containsKey(PUBLIC_URL_PROPERTY)) {
			this.logger.info("[Config] public URL " + Secrets.withoutUserInfo(String.valueOf(properties.get(PUBLIC_URL_PROPERTY)))
					+ " from PUBLIC_URL");
			return;
		}
		if (environment.containsProperty(PUBLIC_URL_PROPERTY)) {
			this.logger.info("[Config] public URL " + Secrets.withoutUserInfo(environment.getProperty(PUBLIC_URL_PROPERTY)) + " from "
					+ PUBLIC_URL_PROPERTY);
			return;
		}
		PlatformPublicUrl.detect(environment.getSystemEnvironment(), this.logger::warn).ifPresentOrElse((platform) -> {
			environment.getPropertySources().addLast(platform.propertySource());
			this.logger.info("[Config] PUBLIC_URL is not set: public URL " + platform.url() + " derived from "
					+ platform.variable());
		}, () -> this.logger.info("[Config] PUBLIC_URL is not set: each webhook derives the public URL from"
				+ " X-Forwarded-Proto/X-Forwarded-Host (trusted proxies) or Host"));
	}

	/** Reports each value's origin as the variable it came from, so binding errors name it. */
	static final class VariablesPropertySource extends MapPropertySource implements OriginLookup<String> {

		VariablesPropertySource(Map<String, Object> properties) {
			super(SOURCE_NAME, properties);
		}

		@Override
		public Origin getOrigin(String property) {
			return EnvironmentVariables.variableFor(property)
				.filter((variable) -> containsProperty(property))
				.map(VariableOrigin::new)
				.orElse(null);
		}

	}

	record VariableOrigin(String variable) implements Origin {

		@Override
		public String toString() {
			return "environment variable " + this.variable;
		}

	}

}

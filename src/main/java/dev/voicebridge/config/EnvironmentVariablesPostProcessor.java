package dev.voicebridge.config;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Turns the contract's environment variables ({@code OPENAI_API_KEY}, ...) into
 * {@code voicebridge.*} properties. Blank variables count as unset. The source sits just after
 * the system environment, so command-line arguments still win and application files lose.
 */
public class EnvironmentVariablesPostProcessor implements EnvironmentPostProcessor {

	static final String SOURCE_NAME = "voicebridgeEnvironmentVariables";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Map<String, Object> properties = new LinkedHashMap<>();
		EnvironmentVariables.all().forEach((variable, property) -> {
			String value = environment.getSystemEnvironment().get(variable) instanceof String text ? text : null;
			if (value != null && !value.isBlank()) {
				properties.put(property, value.strip());
			}
		});
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

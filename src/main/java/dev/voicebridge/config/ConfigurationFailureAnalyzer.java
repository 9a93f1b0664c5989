package dev.voicebridge.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Turns a configuration error into one plain message that names the environment variable to
 * fix, e.g. {@code OPENAI_TURN_DETECTION (voicebridge.openai.turn-detection) = "loud" must be one
 * of server_vad, semantic_vad}. Secret values are never repeated. Errors in settings without a
 * variable are left to Spring Boot's own analysis.
 */
public class ConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<BindException> implements Ordered {

	private static final Set<String> SECRETS = Set.of("OPENAI_API_KEY", "TWILIO_AUTH_TOKEN", "ADMIN_TOKEN", "CALL_EVENTS_SECRET");

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
		InvalidSettingException invalid = findCause(cause, InvalidSettingException.class);
		if (invalid != null) {
			return analysis(invalid.getMessage(), InvalidSettingException.describe(invalid.property()), cause);
		}
		ConfigurationProperty property = cause.getProperty();
		if (property == null) {
			return null;
		}
		String name = property.getName().toString();
		String variable = EnvironmentVariables.variableFor(name).orElse(null);
		if (variable == null) {
			return null;
		}
		String value = SECRETS.contains(variable) ? "****" : String.valueOf(property.getValue());
		String setting = InvalidSettingException.describe(name);
		return analysis(setting + " = \"" + value + "\" " + reason(cause), setting, cause);
	}

	private static FailureAnalysis analysis(String problem, String setting, Throwable cause) {
		return new FailureAnalysis("Invalid configuration: " + problem,
				"Fix " + setting + ", or unset it to use the default (see the README's Configuration table).", cause);
	}

	private static String reason(BindException cause) {
		Class<?> type = cause.getTarget().getType().resolve();
		if (type != null && type.isEnum()) {
			return "must be one of " + Arrays.stream(type.getEnumConstants())
				.map((constant) -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT))
				.collect(Collectors.joining(", "));
		}
		Throwable root = cause;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		return "is not valid: " + root.getMessage();
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}

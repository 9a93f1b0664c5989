package dev.voicebridge.config;

/**
 * A setting that binds but makes no sense. Its message names the property and, where there is
 * one, the environment variable that sets it, so start-up fails with one clear line.
 */
public class InvalidSettingException extends IllegalArgumentException {

	private final String property;

	public InvalidSettingException(String property, String problem) {
		super(describe(property) + " " + problem);
		this.property = property;
	}

	public String property() {
		return this.property;
	}

	/** {@code OPENAI_REALTIME_URL (voicebridge.openai.realtime-url)}, or the property alone. */
	static String describe(String property) {
		return EnvironmentVariables.variableFor(property)
			.map((variable) -> variable + " (" + property + ")")
			.orElse(property);
	}

}

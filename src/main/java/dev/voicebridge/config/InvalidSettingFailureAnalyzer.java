package dev.voicebridge.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * A setting found invalid after binding, while a bean starts (a profiles file that does not
 * validate): one plain message, as for a setting that does not bind.
 */
public class InvalidSettingFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSettingException> implements Ordered {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidSettingException cause) {
		String setting = InvalidSettingException.describe(cause.property());
		return new FailureAnalysis("Invalid configuration: " + cause.getMessage(),
				"Fix " + setting + " (see the README's Configuration table).", cause);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 1;
	}

}

package dev.voicebridge.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The contract's environment variables and the {@code voicebridge.*} properties they set.
 * One table, so defaults live only in the properties records and errors can name the variable.
 */
public final class EnvironmentVariables {

	private static final Map<String, String> PROPERTY_BY_VARIABLE = new LinkedHashMap<>();

	static {
		PROPERTY_BY_VARIABLE.put("PUBLIC_URL", "voicebridge.public-url");
		PROPERTY_BY_VARIABLE.put("ADMIN_TOKEN", "voicebridge.admin-token");
		PROPERTY_BY_VARIABLE.put("DRAIN_TIMEOUT", "voicebridge.drain-timeout");
		PROPERTY_BY_VARIABLE.put("FALLBACK_MESSAGE", "voicebridge.fallback.message");
		PROPERTY_BY_VARIABLE.put("FALLBACK_NUMBER", "voicebridge.fallback.number");
		PROPERTY_BY_VARIABLE.put("OPENAI_API_KEY", "voicebridge.openai.api-key");
		PROPERTY_BY_VARIABLE.put("OPENAI_REALTIME_URL", "voicebridge.openai.realtime-url");
		PROPERTY_BY_VARIABLE.put("OPENAI_MODEL", "voicebridge.openai.model");
		PROPERTY_BY_VARIABLE.put("OPENAI_VOICE", "voicebridge.openai.voice");
		PROPERTY_BY_VARIABLE.put("OPENAI_TURN_DETECTION", "voicebridge.openai.turn-detection");
		PROPERTY_BY_VARIABLE.put("OPENAI_TRANSCRIPTION_MODEL", "voicebridge.openai.transcription-model");
		PROPERTY_BY_VARIABLE.put("OPENAI_RESPONSE_TIMEOUT", "voicebridge.openai.response-timeout");
		PROPERTY_BY_VARIABLE.put("AGENT_INSTRUCTIONS", "voicebridge.agent.instructions");
		PROPERTY_BY_VARIABLE.put("AGENT_GREETING", "voicebridge.agent.greeting");
		PROPERTY_BY_VARIABLE.put("TWILIO_ACCOUNT_SID", "voicebridge.twilio.account-sid");
		PROPERTY_BY_VARIABLE.put("TWILIO_AUTH_TOKEN", "voicebridge.twilio.auth-token");
		PROPERTY_BY_VARIABLE.put("TWILIO_PHONE_NUMBER", "voicebridge.twilio.phone-number");
		PROPERTY_BY_VARIABLE.put("TWILIO_VALIDATE_SIGNATURES", "voicebridge.twilio.validate-signatures");
		PROPERTY_BY_VARIABLE.put("TWILIO_API_BASE_URL", "voicebridge.twilio.api-base-url");
		PROPERTY_BY_VARIABLE.put("TRANSFER_NUMBER", "voicebridge.agent.transfer-number");
		PROPERTY_BY_VARIABLE.put("REALTIME_PROBABILITY", "voicebridge.routing.realtime-probability");
		PROPERTY_BY_VARIABLE.put("OPENAI_API_BASE_URL", "voicebridge.openai.api-base-url");
		PROPERTY_BY_VARIABLE.put("OPENAI_TEXT_MODEL", "voicebridge.openai.text-model");
		PROPERTY_BY_VARIABLE.put("OPENAI_AUTH", "voicebridge.openai.auth");
		PROPERTY_BY_VARIABLE.put("PROFILES_FILE", "voicebridge.profiles.file");
		PROPERTY_BY_VARIABLE.put("DTMF_MODE", "voicebridge.calls.dtmf");
		PROPERTY_BY_VARIABLE.put("MAX_CALL_DURATION", "voicebridge.calls.max-call-duration");
		PROPERTY_BY_VARIABLE.put("CALL_EVENTS_URL", "voicebridge.calls.events-url");
		PROPERTY_BY_VARIABLE.put("CALL_EVENTS_SECRET", "voicebridge.calls.events-secret");
		PROPERTY_BY_VARIABLE.put("REDIS_URL", "spring.data.redis.url");
		PROPERTY_BY_VARIABLE.put("LOG_TRANSCRIPTS", "voicebridge.privacy.log-transcripts");
		PROPERTY_BY_VARIABLE.put("OUTBOUND_ALLOWED_PREFIXES", "voicebridge.outbound.allowed-prefixes");
		PROPERTY_BY_VARIABLE.put("OUTBOUND_CALLS_PER_MINUTE", "voicebridge.outbound.per-minute");
		PROPERTY_BY_VARIABLE.put("OUTBOUND_CALLS_PER_DAY", "voicebridge.outbound.per-day");
		PROPERTY_BY_VARIABLE.put("MAX_WEBSOCKET_CONNECTIONS", "voicebridge.limits.websocket-connections");
		PROPERTY_BY_VARIABLE.put("TEST_WEBSOCKET_ENABLED", "voicebridge.limits.test-websocket.enabled");
		PROPERTY_BY_VARIABLE.put("DIAGNOSTICS_PUBLIC", "voicebridge.diagnostics.public");
	}

	private EnvironmentVariables() {
	}

	/** Every contract variable with the property it sets, in documentation order. */
	public static Map<String, String> all() {
		return Collections.unmodifiableMap(PROPERTY_BY_VARIABLE);
	}

	/** The environment variable that sets a property, if it has one. */
	public static Optional<String> variableFor(String property) {
		return PROPERTY_BY_VARIABLE.entrySet()
			.stream()
			.filter((entry) -> property.equals(entry.getValue()) || property.startsWith(entry.getValue() + "."))
			.map(Map.Entry::getKey)
			.findFirst();
	}

}

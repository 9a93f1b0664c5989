package dev.voicebridge.profiles;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.twilio.twiml.voice.Say;

import dev.voicebridge.config.OpenAiProperties.TurnDetection;
import dev.voicebridge.config.Secrets;
import dev.voicebridge.config.Upstream;

/**
 * The keys a profile (or a plan inside it) may set, as the file spells them, with the
 * environment variable each falls back to and how its value is read.
 */
enum ProfileSetting {

	NUMBERS("numbers", null), INSTRUCTIONS("instructions", "AGENT_INSTRUCTIONS"),
	GREETING("greeting", "AGENT_GREETING"), VOICE("voice", "OPENAI_VOICE"),
	TURN_DETECTION("turn-detection", "OPENAI_TURN_DETECTION"),
	TRANSCRIPTION_MODEL("transcription-model", "OPENAI_TRANSCRIPTION_MODEL"), LANGUAGE("language", null),
	SAY_VOICE("say-voice", null), TRANSFER_NUMBER("transfer-number", "TRANSFER_NUMBER"),
	FALLBACK_MESSAGE("fallback-message", "FALLBACK_MESSAGE"), FALLBACK_NUMBER("fallback-number", "FALLBACK_NUMBER"),
	REALTIME_PROBABILITY("realtime-probability", "REALTIME_PROBABILITY"), MODE("mode", null),
	REALTIME_URL("realtime-url", "OPENAI_REALTIME_URL"), MODEL("model", "OPENAI_MODEL"),
	API_BASE_URL("api-base-url", "OPENAI_API_BASE_URL"), TEXT_MODEL("text-model", "OPENAI_TEXT_MODEL"),
	API_KEY_VARIABLE("api-key-variable", "OPENAI_API_KEY"), AUTH("auth", "OPENAI_AUTH"), DTMF("dtmf", "DTMF_MODE");

	static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

	private static final Pattern VARIABLE = Pattern.compile("[A-Z_][A-Z0-9_]{0,63}");

	private final String key;

	private final String variable;

	ProfileSetting(String key, String variable) {
		this.key = key;
		this.variable = variable;
	}

	String key() {
		return this.key;
	}

	/** The environment variable a profile that leaves this key out falls back to, or null. */
	String variable() {
		return this.variable;
	}

	static Optional<ProfileSetting> forKey(String key) {
		return Arrays.stream(values()).filter((setting) -> setting.key.equals(key)).findFirst();
	}

	static String allKeys() {
		return Arrays.stream(values()).map(ProfileSetting::key).collect(Collectors.joining(", "));
	}

	/**
	 * The value of a scalar, or null where an empty value means "none" (an empty greeting: the
	 * caller speaks first). Throws {@link IllegalArgumentException} with what is wrong.
	 */
	Object parse(String raw) {
		String value = (raw != null) ? raw.strip() : "";
		return switch (this) {
			case NUMBERS -> number(value);
			case GREETING, TRANSCRIPTION_MODEL, TRANSFER_NUMBER, FALLBACK_NUMBER, SAY_VOICE, LANGUAGE -> {
				if (value.isEmpty()) {
					yield null;
				}
				yield switch (this) {
					case TRANSFER_NUMBER, FALLBACK_NUMBER -> number(value);
					case SAY_VOICE -> twilioValue(value, Say.Voice.values(), "a Twilio <Say> voice such as Polly.Joanna-Neural");
					case LANGUAGE -> twilioValue(value, Say.Language.values(), "a Twilio <Say> language such as en-US");
					default -> value;
				};
			}
			case INSTRUCTIONS, VOICE, FALLBACK_MESSAGE, MODEL, TEXT_MODEL -> required(value);
			case TURN_DETECTION -> Arrays.stream(TurnDetection.values())
				.filter((mode) -> mode.wireName().equals(value.toLowerCase(Locale.ROOT).replace('-', '_')))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException("must be server_vad or semantic_vad, was '" + value + "'"));
			case REALTIME_PROBABILITY -> probability(value);
			case MODE -> {
				if (!value.equals("stream") && !value.equals("traditional")) {
					throw new IllegalArgumentException("must be stream or traditional, was '" + value + "'");
				}
				yield value;
			}
			case DTMF -> {
				if (!value.equals("agent") && !value.equals("ignore")) {
					throw new IllegalArgumentException("must be agent or ignore, was '" + value + "'");
				}
				yield value;
			}
			case REALTIME_URL -> url(value, "ws", "wss", "must start with wss:// (or ws:// for a local mock)");
			case API_BASE_URL -> url(value, "http", "https", "must start with https:// (or http:// for a local mock)");
			case API_KEY_VARIABLE -> {
				if (!VARIABLE.matcher(value).matches()) {
					throw new IllegalArgumentException(
							"must name an environment variable (upper case, digits and _) that holds the key; the key itself never goes in the file");
				}
				yield value;
			}
			case AUTH -> Arrays.stream(Upstream.Auth.values())
				.filter((auth) -> auth.wireName().equals(value.toLowerCase(Locale.ROOT)))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException("must be bearer or api-key, was '" + value + "'"));
		};
	}

	private static String required(String value) {
		if (value.isEmpty()) {
			throw new IllegalArgumentException("must not be empty");
		}
		return value;
	}

	private static String number(String value) {
		if (!E164.matcher(value).matches()) {
			throw new IllegalArgumentException("'" + value + "' is not an E.164 phone number (such as +15551234567)");
		}
		return value;
	}

	private static Double probability(String value) {
		double share;
		try {
			share = Double.parseDouble(value);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("must be a share of calls from 0 to 1, was '" + value + "'");
		}
		if (!(share >= 0.0 && share <= 1.0)) {
			throw new IllegalArgumentException("must be a share of calls from 0 to 1, was " + value);
		}
		return share;
	}

	private static URI url(String value, String plain, String secure, String problem) {
		URI url;
		try {
			url = URI.create(value);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("is not a URL: " + value);
		}
		if ((!plain.equals(url.getScheme()) && !secure.equals(url.getScheme())) || url.getHost() == null) {
			throw new IllegalArgumentException(problem + ", was " + Secrets.withoutUserInfo(value));
		}
		if (url.getRawQuery() != null) {
			throw new IllegalArgumentException("must carry no query (the model is the model key)");
		}
		String transport = Upstream.transportProblem(url, plain);
		if (transport != null) {
			throw new IllegalArgumentException(transport);
		}
		return url;
	}

	private static <E extends Enum<E>> String twilioValue(String value, E[] choices, String what) {
		return Arrays.stream(choices)
			.map(Object::toString)
			.filter(value::equals)
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("must be " + what + ", was '" + value + "'"));
	}

}

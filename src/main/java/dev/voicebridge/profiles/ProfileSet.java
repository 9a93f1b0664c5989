package dev.voicebridge.profiles;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import dev.voicebridge.config.AgentProperties;
import dev.voicebridge.config.BridgeProperties;
import dev.voicebridge.config.OpenAiProperties;
import dev.voicebridge.config.OpenAiProperties.TurnDetection;
import dev.voicebridge.config.Upstream;

/**
 * Every profile of one version of the file, resolved against the environment once, at load:
 * choosing a call's profile is then a map lookup. Immutable; a reload builds a new one.
 */
final class ProfileSet {

	private final String defaultId;

	private final Map<String, ProfileFile.Definition> definitions;

	/** Profile id to plan ({@code ""} for none) to the resolved profile. */
	private final Map<String, Map<String, CallProfile>> resolved;

	private final Map<String, String> profileByNumber;

	private ProfileSet(String defaultId, Map<String, ProfileFile.Definition> definitions,
			Map<String, Map<String, CallProfile>> resolved, Map<String, String> profileByNumber) {
		this.defaultId = defaultId;
		this.definitions = definitions;
		this.resolved = resolved;
		this.profileByNumber = profileByNumber;
	}

	/** The environment's settings as the service's only profile: behaviour without a profiles file. */
	static ProfileSet implicit(Environment environment) {
		ProfileFile.Definition only = new ProfileFile.Definition(CallProfile.DEFAULT_ID, List.of(), Map.of(), Map.of());
		return build(new ProfileFile.Content(CallProfile.DEFAULT_ID, Map.of(CallProfile.DEFAULT_ID, only)), environment);
	}

	/**
	 * Resolves every profile and plan of a file. {@code environment.realtime()} says whether calls
	 * run on OpenAI: then every profile needs a key, and without it none may name one.
	 */
	static ProfileSet build(ProfileFile.Content content, Environment environment) {
		Map<String, Map<String, CallProfile>> resolved = new LinkedHashMap<>();
		Map<String, String> byNumber = new LinkedHashMap<>();
		content.profiles().forEach((id, definition) -> {
			Map<String, CallProfile> plans = new LinkedHashMap<>();
			plans.put("", resolve(definition, null, Map.of(), environment));
			definition.plans().forEach((plan, settings) -> plans.put(plan, resolve(definition, plan, settings, environment)));
			resolved.put(id, Collections.unmodifiableMap(plans));
			definition.numbers().forEach((number) -> byNumber.put(number, id));
		});
		return new ProfileSet(content.defaultId(), Collections.unmodifiableMap(new LinkedHashMap<>(content.profiles())),
				Collections.unmodifiableMap(resolved), Collections.unmodifiableMap(byNumber));
	}

	String defaultId() {
		return this.defaultId;
	}

	CallProfile defaultProfile() {
		return this.resolved.get(this.defaultId).get("");
	}

	/** The profile of that id and plan; null when either is unknown ({@code plan} null: none). */
	CallProfile profile(String id, String plan) {
		Map<String, CallProfile> plans = (id != null) ? this.resolved.get(id) : null;
		return (plans != null) ? plans.get((plan != null) ? plan : "") : null;
	}

	boolean hasProfile(String id) {
		return id != null && this.resolved.containsKey(id);
	}

	/** The profile that claims a number, or null. */
	String profileForNumber(String number) {
		return (number != null) ? this.profileByNumber.get(number) : null;
	}

	/** Whether every call gets the same profile: one profile without plans. */
	boolean isSingle() {
		return this.resolved.size() == 1 && this.resolved.values().iterator().next().size() == 1;
	}

	Map<String, ProfileFile.Definition> definitions() {
		return this.definitions;
	}

	/** Every resolved profile, by id, then by plan ({@code ""}: the profile itself). */
	Map<String, Map<String, CallProfile>> resolved() {
		return this.resolved;
	}

	/** Layers: the plan's keys over the profile's over the environment's. */
	private static CallProfile resolve(ProfileFile.Definition definition, String plan,
			Map<ProfileSetting, Object> planSettings, Environment environment) {
		Layers layers = new Layers(definition, plan, planSettings);
		AgentProperties agent = environment.agent();
		OpenAiProperties openai = environment.openai();
		BridgeProperties.Fallback fallback = environment.fallback();
		String keyVariable = layers.value(ProfileSetting.API_KEY_VARIABLE, null);
		String apiKey = openai.apiKey();
		if (keyVariable != null) {
			apiKey = environment.variables().apply(keyVariable);
			if (apiKey == null || apiKey.isBlank()) {
				throw new ProfileFileException(layers.where(ProfileSetting.API_KEY_VARIABLE) + ": the environment variable "
						+ keyVariable + " is not set");
			}
			if (!environment.realtime()) {
				throw new ProfileFileException(layers.where(ProfileSetting.API_KEY_VARIABLE)
						+ ": calls use the echo agent because neither OPENAI_API_KEY nor the default profile's"
						+ " api-key-variable is set at start-up; set one of them and restart");
			}
		}
		else if (environment.realtime() && apiKey == null) {
			throw new ProfileFileException("profile '" + definition.id() + "'" + ((plan != null) ? ", plan '" + plan + "'" : "")
					+ " has no API key: set api-key-variable (OPENAI_API_KEY is not set)");
		}
		Upstream base = openai.upstream();
		boolean ownUrl = layers.isSet(ProfileSetting.REALTIME_URL);
		URI realtimeUrl = layers.value(ProfileSetting.REALTIME_URL, base.realtimeUrl());
		Upstream.Auth inferred = ownUrl ? (Upstream.isAzure(realtimeUrl) ? Upstream.Auth.API_KEY : Upstream.Auth.BEARER)
				: base.auth();
		URI derivedBase = base.apiBaseUrl();
		if (ownUrl && !layers.isSet(ProfileSetting.API_BASE_URL)) {
			// the text API of the profile's own provider, never the environment's: its key must not go there
			if (Upstream.isAzure(realtimeUrl)) {
				derivedBase = URI.create("https://" + realtimeUrl.getHost() + "/openai/v1");
			}
			else if ("api.openai.com".equalsIgnoreCase(realtimeUrl.getHost())) {
				derivedBase = URI.create("https://api.openai.com/v1");
			}
			else {
				throw new ProfileFileException(layers.where(ProfileSetting.REALTIME_URL) + ": " + realtimeUrl.getHost()
						+ " is neither OpenAI nor Azure OpenAI, so traditional mode cannot tell where its text API is: "
						+ "set api-base-url too");
			}
		}
		Upstream upstream = new Upstream(realtimeUrl, layers.value(ProfileSetting.MODEL, base.model()), apiKey,
				layers.value(ProfileSetting.AUTH, inferred), layers.value(ProfileSetting.API_BASE_URL, derivedBase),
				layers.value(ProfileSetting.TEXT_MODEL, base.textModel()));
		TurnDetection turnDetection = layers.value(ProfileSetting.TURN_DETECTION, openai.turnDetection());
		return new CallProfile(definition.id(), plan, layers.value(ProfileSetting.INSTRUCTIONS, agent.instructions()),
				layers.value(ProfileSetting.GREETING, agent.greeting()), layers.value(ProfileSetting.VOICE, openai.voice()),
				turnDetection, layers.value(ProfileSetting.TRANSCRIPTION_MODEL, openai.transcriptionModel()),
				layers.value(ProfileSetting.LANGUAGE, null), layers.value(ProfileSetting.SAY_VOICE, null),
				layers.value(ProfileSetting.TRANSFER_NUMBER, agent.transferNumber()),
				layers.value(ProfileSetting.FALLBACK_MESSAGE, fallback.message()),
				layers.value(ProfileSetting.FALLBACK_NUMBER, fallback.number()),
				layers.value(ProfileSetting.REALTIME_PROBABILITY, null), layers.value(ProfileSetting.MODE, null),
				layers.value(ProfileSetting.DTMF, null), upstream,
				layers.sources());
	}

	/**
	 * What a profile resolves from: the environment's settings, the variables an
	 * {@code api-key-variable} may name, and whether calls run on OpenAI (fixed at start-up).
	 */
	record Environment(AgentProperties agent, OpenAiProperties openai, BridgeProperties.Fallback fallback,
			UnaryOperator<String> variables, boolean realtime) {
	}

	/** One profile's (and plan's) keys over the environment, remembering where each value came from. */
	private static final class Layers {

		private final ProfileFile.Definition definition;

		private final String plan;

		private final Map<ProfileSetting, Object> planSettings;

		private final Map<String, String> sources = new LinkedHashMap<>();

		Layers(ProfileFile.Definition definition, String plan, Map<ProfileSetting, Object> planSettings) {
			this.definition = definition;
			this.plan = plan;
			this.planSettings = planSettings;
		}

		boolean isSet(ProfileSetting setting) {
			return this.planSettings.containsKey(setting) || this.definition.settings().containsKey(setting);
		}

		@SuppressWarnings("unchecked")
		<T> T value(ProfileSetting setting, T fallback) {
			if (this.planSettings.containsKey(setting)) {
				this.sources.put(setting.key(), "plan " + this.plan);
				return (T) this.planSettings.get(setting);
			}
			if (this.definition.settings().containsKey(setting)) {
				this.sources.put(setting.key(), "profile " + this.definition.id());
				return (T) this.definition.settings().get(setting);
			}
			this.sources.put(setting.key(), (setting.variable() != null) ? "environment " + setting.variable()
					: "default");
			return fallback;
		}

		String where(ProfileSetting setting) {
			return "profile '" + this.definition.id() + "'"
					+ (this.planSettings.containsKey(setting) ? ", plan '" + this.plan + "'" : "") + ", key '"
					+ setting.key() + "'";
		}

		Map<String, String> sources() {
			return Collections.unmodifiableMap(this.sources);
		}

	}

}

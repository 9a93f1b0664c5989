package dev.voicebridge.profiles;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /admin/profiles} (admin token): the profiles in force with the effective value and the
 * source of every setting, and a reload. Keys never appear, only the variable that holds one.
 */
@RestController
class ProfilesController {

	private final Profiles profiles;

	ProfilesController(Profiles profiles) {
		this.profiles = profiles;
	}

	@GetMapping("/admin/profiles")
	ProfilesView all() {
		ProfileSet set = this.profiles.current();
		List<ProfileView> views = set.resolved().keySet().stream().map((id) -> view(set, id)).toList();
		return new ProfilesView((this.profiles.file() != null) ? this.profiles.file().toString() : null, set.defaultId(),
				this.profiles.lastReload(), views);
	}

	@GetMapping("/admin/profiles/{id}")
	ResponseEntity<ProfileView> one(@PathVariable String id) {
		ProfileSet set = this.profiles.current();
		if (!set.hasProfile(id)) {
			return ResponseEntity.notFound().build();
		}
		return ResponseEntity.ok(view(set, id));
	}

	@PostMapping("/admin/profiles/reload")
	ResponseEntity<Profiles.ReloadStatus> reload() {
		Profiles.ReloadStatus status = this.profiles.reload();
		HttpStatus code = switch (status.outcome()) {
			case "refused" -> HttpStatus.UNPROCESSABLE_CONTENT;
			case "no-file" -> HttpStatus.CONFLICT;
			default -> HttpStatus.OK;
		};
		return ResponseEntity.status(code).body(status);
	}

	private static ProfileView view(ProfileSet set, String id) {
		Map<String, CallProfile> plans = set.resolved().get(id);
		ProfileFile.Definition definition = set.definitions().get(id);
		Map<String, Map<String, Setting>> planViews = new LinkedHashMap<>();
		plans.forEach((plan, profile) -> {
			if (!plan.isEmpty()) {
				planViews.put(plan, settings(profile));
			}
		});
		return new ProfileView(id, id.equals(set.defaultId()), definition.numbers(), settings(plans.get("")), planViews);
	}

	/** Every setting's effective value and its source; the key only as set or unset. */
	static Map<String, Setting> settings(CallProfile profile) {
		Map<String, String> sources = profile.sources();
		Map<String, Setting> settings = new LinkedHashMap<>();
		put(settings, sources, "instructions", profile.instructions());
		put(settings, sources, "greeting", profile.greeting());
		put(settings, sources, "voice", profile.voice());
		put(settings, sources, "turn-detection", profile.turnDetection().wireName());
		put(settings, sources, "transcription-model", profile.transcriptionModel());
		put(settings, sources, "language", profile.language());
		put(settings, sources, "say-voice", profile.sayVoice());
		put(settings, sources, "transfer-number", profile.transferNumber());
		put(settings, sources, "fallback-message", profile.fallbackMessage());
		put(settings, sources, "fallback-number", profile.fallbackNumber());
		put(settings, sources, "realtime-probability",
				(profile.realtimeProbability() != null) ? profile.realtimeProbability() : "the service's");
		put(settings, sources, "mode", (profile.mode() != null) ? profile.mode() : "routed");
		put(settings, sources, "dtmf", (profile.dtmf() != null) ? profile.dtmf() : "the service's");
		put(settings, sources, "realtime-url", profile.upstream().realtimeUrl().toString());
		put(settings, sources, "model", profile.upstream().model());
		put(settings, sources, "api-base-url", profile.upstream().apiBaseUrl().toString());
		put(settings, sources, "text-model", profile.upstream().textModel());
		put(settings, sources, "auth", profile.upstream().auth().wireName());
		String keySource = sources.get("api-key-variable");
		settings.put("api-key", new Setting((profile.upstream().apiKey() != null) ? "set" : "unset", keySource));
		settings.put("upstream", new Setting(profile.upstream().describe(), "derived"));
		return settings;
	}

	private static void put(Map<String, Setting> settings, Map<String, String> sources, String key, Object value) {
		settings.put(key, new Setting(value, sources.getOrDefault(key, "default")));
	}

	/** One setting: what calls get, and which layer said so. */
	record Setting(Object value, String source) {
	}

	record ProfileView(String id, boolean isDefault, List<String> numbers, Map<String, Setting> settings,
			Map<String, Map<String, Setting>> plans) {
	}

	record ProfilesView(String file, String defaultProfile, Profiles.ReloadStatus lastReload,
			List<ProfileView> profiles) {
	}

}

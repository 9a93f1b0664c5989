package dev.voicebridge.diagnostics;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.voicebridge.call.CallRegistry;
import dev.voicebridge.config.BridgeProperties;
import dev.voicebridge.config.Secrets;
import dev.voicebridge.config.SignaturePolicy;
import dev.voicebridge.profiles.Profiles;
import dev.voicebridge.web.PublicUrls;

/**
 * One start-up summary of how this instance will answer calls, plus a WARN for each dubious
 * setting, so the first lines of the log already say what is wrong.
 */
@Component
class StartupSummary {

	private static final Logger log = LoggerFactory.getLogger(StartupSummary.class);

	private final PublicUrls urls;

	private final CallRegistry calls;

	private final BridgeProperties bridge;

	private final Profiles profiles;

	private final SignaturePolicy policy;

	StartupSummary(PublicUrls urls, CallRegistry calls, BridgeProperties bridge,
			Profiles profiles, SignaturePolicy policy) {
		this.profiles = profiles;
		this.policy = policy;
		this.urls = urls;
		this.calls = calls;
		this.bridge = bridge;
	}

	@EventListener(ApplicationReadyEvent.class)
	void summarise() {
		String publicUrl = this.urls.isConfigured() ? Secrets.withoutUserInfo(this.urls.configuredBase()) + " (configured)"
				: "derived per request from X-Forwarded-Proto/X-Forwarded-Host or Host";
		String streamUrl = this.urls.isConfigured() ? Secrets.withoutUserInfo(PublicUrls.streamUrl(this.urls.configuredBase()))
				: "wss://<request host>/twilio-media";
		log.info("[Startup] public URL {}; Stream URL {}; agent {}; upstream {}; profiles {}; signature checks {}; "
				+ "admin endpoints {}", publicUrl, streamUrl, this.calls.agentName(),
				this.profiles.defaultProfile().upstream().describe(),
				(this.profiles.file() != null) ? String.join(", ", this.profiles.ids()) + " from " + this.profiles.file()
						: "none (the environment's settings)",
				this.policy.checks() ? "on" : "off", (this.bridge.adminToken() != null) ? "on" : "off (no ADMIN_TOKEN)");
		if (this.policy.warning() != null) {
			log.error("[Startup] {}", this.policy.warning());
		}
		for (String warning : warnings()) {
			log.warn("[Startup] {}", warning);
		}
	}

	List<String> warnings() {
		List<String> warnings = new ArrayList<>();
		URI url = this.bridge.publicUrl();
		if (url != null && "http".equals(url.getScheme())) {
			warnings.add("PUBLIC_URL uses http://; Twilio needs https:// webhooks and a wss:// Stream URL");
		}
		if (url != null && ((url.getRawPath() != null && url.getRawPath().length() > 1) || url.getRawQuery() != null)) {
			warnings.add("PUBLIC_URL carries a path or query (" + Secrets.withoutUserInfo(url.toString())
					+ "); use the origin only unless a proxy serves the app under that path");
		}
		if (this.policy == SignaturePolicy.OPEN) {
			warnings.add("TWILIO_AUTH_TOKEN is not set: requests are not signature-checked and anyone can call the "
					+ "webhooks and open streams (the echo agent spends nothing; with OPENAI_API_KEY the streams are "
					+ "refused until the token is set)");
		}
		return warnings;
	}

}

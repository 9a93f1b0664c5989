package dev.voicebridge.twilio;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.voicebridge.call.StreamAdmission;
import dev.voicebridge.config.LimitsProperties;
import dev.voicebridge.config.SignaturePolicy;
import dev.voicebridge.config.TwilioProperties;
import dev.voicebridge.profiles.Profiles;
import dev.voicebridge.shared.SharedState;
import dev.voicebridge.web.PublicUrls;
import dev.voicebridge.web.WebhookMetrics;

/**
 * The filters in front of Twilio's endpoints: forwarded headers from trusted proxies first, then
 * (behind the upgrade counter) the signature check.
 */
@Configuration(proxyBeanMethods = false)
class TwilioConfiguration {

	@Bean
	TrustedProxyFilter trustedProxyFilter() {
		return new TrustedProxyFilter();
	}

	/** Spending a key is the default profile's: with none, calls run on the echo agent. */
	@Bean
	SignaturePolicy signaturePolicy(TwilioProperties twilio, Profiles profiles) {
		return SignaturePolicy.of(twilio, profiles.defaultProfile().upstream().apiKey() != null);
	}

	/** Streams are bound to their calls whenever signatures are checked: the key is the auth token's. */
	@Bean
	StreamAdmission streamAdmission(TwilioProperties twilio, SignaturePolicy policy, LimitsProperties limits,
			Clock clock) {
		return policy.checks() ? new StreamTokens(twilio.authToken(), limits.streamTokenTtl(), clock)
				: StreamAdmission.OPEN;
	}

	@Bean
	TwilioSignatureFilter twilioSignatureFilter(TwilioProperties twilio, SignaturePolicy policy, PublicUrls urls,
			WebhookMetrics metrics, LimitsProperties limits, SharedState state) {
		// in memory, the shared state is this instance's alone: its own memory of answers is enough
		WebhookReplays replays = new WebhookReplays(limits.replayWindow(), "redis".equals(state.kind()) ? state : null,
				metrics);
		return new TwilioSignatureFilter(twilio, policy, urls, metrics, replays);
	}

}

package dev.voicebridge.twilio;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.voicebridge.config.TwilioProperties;

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

	@Bean
	TwilioSignatureFilter twilioSignatureFilter(TwilioProperties twilio, PublicUrls urls, WebhookMetrics metrics) {
		return new TwilioSignatureFilter(twilio, urls, metrics);
	}

}

package dev.voicebridge.twilio;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import dev.voicebridge.config.TwilioProperties;

/**
 * Puts the signature check in front of Twilio's endpoints, behind the upgrade counter, so a
 * refused handshake is still seen and counted.
 */
@Configuration(proxyBeanMethods = false)
class TwilioConfiguration {

	@Bean
	FilterRegistrationBean<TwilioSignatureFilter> twilioSignatureFilter(TwilioProperties twilio, PublicUrls urls,
			WebhookMetrics metrics) {
		var registration = new FilterRegistrationBean<>(new TwilioSignatureFilter(twilio, urls, metrics));
		registration.addUrlPatterns("/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
		return registration;
	}

}

package dev.voicebridge.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;

/** Controllers take a {@link WebhookRequest} as an argument. */
@Configuration(proxyBeanMethods = false)
class WebhookConfiguration implements WebFluxConfigurer {

	@Override
	public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
		configurer.addCustomResolver(new WebhookRequest.Resolver());
	}

}

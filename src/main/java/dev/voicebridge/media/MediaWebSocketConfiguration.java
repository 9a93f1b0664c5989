package dev.voicebridge.media;

import java.util.Map;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;

import dev.voicebridge.call.CallRegistry;
import dev.voicebridge.web.TwilioRoutes;

/**
 * Registers the Media Streams endpoint, ahead of the annotated controllers, and the filter that
 * turns new streams away while the instance drains.
 */
@Configuration(proxyBeanMethods = false)
class MediaWebSocketConfiguration {

	@Bean
	SimpleUrlHandlerMapping mediaStreamMapping(MediaStreamHandler handler) {
		return new SimpleUrlHandlerMapping(Map.of(TwilioRoutes.MEDIA, handler), Ordered.HIGHEST_PRECEDENCE + 1);
	}

	@Bean
	DrainingHandshakeFilter drainingHandshakeFilter(CallRegistry calls) {
		return new DrainingHandshakeFilter(calls);
	}

}

package dev.voicebridge.shared;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Shared state in memory unless Redis provides it ({@code REDIS_URL}).
 */
@Configuration(proxyBeanMethods = false)
class SharedStateConfiguration {

	@Bean
	SharedState inMemorySharedState() {
		return new InMemorySharedState();
	}

}

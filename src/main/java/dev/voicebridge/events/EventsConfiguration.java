package dev.voicebridge.events;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.OkHttpClient;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.voicebridge.config.CallInsightProperties;
import dev.voicebridge.config.PrivacyProperties;

/** Where finished calls' records go. */
@Configuration(proxyBeanMethods = false)
class EventsConfiguration {

	@Bean(destroyMethod = "close")
	CallEvents callEvents(CallInsightProperties properties, OkHttpClient upstreamHttpClient, JsonMapper json,
			MeterRegistry meters, Clock clock, PrivacyProperties privacy) {
		return new CallEvents(properties, upstreamHttpClient, json, meters, clock, privacy);
	}

}

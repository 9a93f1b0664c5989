package dev.voicebridge.agent;


import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.voicebridge.agent.realtime.RealtimeAgent;
import dev.voicebridge.agent.realtime.UpstreamMetrics;
import dev.voicebridge.config.OpenAiProperties;
import dev.voicebridge.config.PrivacyProperties;
import dev.voicebridge.config.StartupProperties;
import dev.voicebridge.config.Upstream;
import dev.voicebridge.profiles.Profiles;

/**
 * Chooses the agent: OpenAI Realtime when {@code OPENAI_API_KEY} is set (or the default
 * profile names a key of its own), the echo agent otherwise.
 */
@Configuration(proxyBeanMethods = false)
class AgentConfiguration {

	private static final Logger log = LoggerFactory.getLogger(AgentConfiguration.class);

	@Bean
	VoiceAgent voiceAgent(OpenAiProperties openai, Profiles profiles, OkHttpClient upstreamHttpClient,
			UpstreamMetrics upstreamMetrics, PrivacyProperties privacy) {
		Upstream upstream = profiles.defaultProfile().upstream();
		if (upstream.apiKey() == null) {
			log.info("[OpenAI] OPENAI_API_KEY is not set: calls use the echo agent (callers hear themselves)");
			return new EchoAgent();
		}
		log.info("[OpenAI] calls use the Realtime API at {} model={}", upstream.describe(), upstream.model());
		return new RealtimeAgent(upstreamHttpClient, openai, profiles, upstreamMetrics, privacy);
	}

	/** Before readiness: the first calls should not pay for compiling the agent's frame path. */
	@Bean
	ApplicationRunner voiceAgentWarmup(VoiceAgent voiceAgent, StartupProperties startup) {
		return (args) -> {
			if (startup.warmUp()) {
				voiceAgent.warmUp();
			}
		};
	}

	@Bean
	UpstreamMetrics upstreamMetrics(MeterRegistry registry) {
		return new UpstreamMetrics(registry);
	}

}

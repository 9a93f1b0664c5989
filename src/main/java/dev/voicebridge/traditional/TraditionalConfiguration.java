package dev.voicebridge.traditional;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.voicebridge.call.CallMetrics;
import dev.voicebridge.call.CallRecordSink;
import dev.voicebridge.config.CallInsightProperties;
import dev.voicebridge.config.TraditionalProperties;
import dev.voicebridge.profiles.Profiles;
import dev.voicebridge.shared.SharedState;

/**
 * Traditional mode: Chat Completions replies when {@code OPENAI_API_KEY} is set, echo replies
 * otherwise, and a periodic sweep that notices conversations whose caller has gone.
 */
@Configuration(proxyBeanMethods = false)
class TraditionalConfiguration {

	private static final Logger log = LoggerFactory.getLogger(TraditionalConfiguration.class);

	@Bean
	TraditionalMode traditionalMode(SharedState state, JsonMapper json, OkHttpClient upstreamHttpClient,
			Profiles profiles, TraditionalProperties properties, CallMetrics metrics, MeterRegistry registry,
			CallInsightProperties insight, CallRecordSink records, Clock clock) {
		Replier replier;
		if (profiles.defaultProfile().upstream().apiKey() != null) {
			replier = new ChatCompletionsReplier(upstreamHttpClient, json, properties.replyTimeout());
		}
		else {
			log.info("[Traditional] OPENAI_API_KEY is not set: traditional mode repeats what the caller said");
			replier = new EchoReplier();
		}
		ConversationStore store = new ConversationStore(state, json, properties.conversationTtl());
		return new TraditionalMode(store, replier, metrics, new TurnMetrics(registry), properties, profiles,
				new CallInsight(insight, metrics, records), clock);
	}

	@Bean
	DisposableBean idleConversationSweep(TraditionalMode traditionalMode, TraditionalProperties properties,
			ScheduledExecutorService voiceBridgeTimer) {
		long every = sweepInterval(properties.conversationTtl()).toMillis();
		ScheduledFuture<?> sweep = voiceBridgeTimer.scheduleWithFixedDelay(traditionalMode::endIdleConversations, every,
				every, TimeUnit.MILLISECONDS);
		return () -> sweep.cancel(false);
	}

	/** Often enough that an end is counted soon after the idle time, rarely enough to cost nothing. */
	static Duration sweepInterval(Duration idle) {
		Duration quarter = idle.dividedBy(4);
		Duration max = Duration.ofSeconds(30);
		Duration min = Duration.ofMillis(100);
		return (quarter.compareTo(max) > 0) ? max : (quarter.compareTo(min) < 0) ? min : quarter;
	}

}

package dev.voicebridge.config;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Traditional (turn-based, {@code <Gather>}) mode: how long a reply may take, and how much of a
 * conversation is kept and for how long.
 *
 * @param replyTimeout longest a Chat Completions request may take; Twilio gives a webhook 15 s
 * @param conversationTtl a conversation idle this long is over (the caller hung up); it is then
 * counted as ended and forgotten
 * @param maxHistory messages (caller and agent) sent back as context; older ones are dropped
 * @param maxHistoryChars characters of history kept; older messages are dropped first
 * @param maxTurns turns one call may take before the agent says goodbye and hangs up
 * @param maxSilences consecutive turns without speech before the agent says goodbye and hangs up
 * @param greeting what a call in traditional mode hears first when {@code AGENT_GREETING} is unset
 */
@Validated
@ConfigurationProperties("voicebridge.traditional")
public record TraditionalProperties(@NotNull @DefaultValue("8s") Duration replyTimeout,
		@NotNull @DefaultValue("10m") Duration conversationTtl, @Min(0) @Max(200) @DefaultValue("20") int maxHistory,
		@Min(100) @DefaultValue("8000") int maxHistoryChars, @Min(1) @DefaultValue("50") int maxTurns,
		@Min(1) @DefaultValue("3") int maxSilences,
		@NotBlank @DefaultValue("Hello! How can I help you today?") String greeting) {

}

package dev.voicebridge.diagnostics;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.validation.annotation.Validated;

/**
 * Diagnostics settings.
 *
 * @param streamGrace how long after the webhook a stream may take to start before the call
 * counts as {@code voicebridge.calls.stream.missing}
 * @param isPublic {@code DIAGNOSTICS_PUBLIC}: show everyone what otherwise needs the admin token
 * (client addresses, User-Agents, CallSids, whether signatures are checked)
 */
@Validated
@ConfigurationProperties("voicebridge.diagnostics")
public record DiagnosticsProperties(@NotNull @DefaultValue("15s") Duration streamGrace,
		@Name("public") @DefaultValue("false") boolean isPublic) {
}

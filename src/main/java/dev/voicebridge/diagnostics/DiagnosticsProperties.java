package dev.voicebridge.diagnostics;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Diagnostics settings.
 *
 * @param streamGrace how long after the webhook a stream may take to start before the call
 * counts as {@code voicebridge.calls.stream.missing}
 */
@Validated
@ConfigurationProperties("voicebridge.diagnostics")
public record DiagnosticsProperties(@NotNull @DefaultValue("15s") Duration streamGrace) {
}

package dev.voicebridge.config;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Per-line profiles: one service for several businesses.
 *
 * @param file {@code PROFILES_FILE}, a YAML file of profiles; without it every call gets one implicit
 * profile built from the environment
 * @param watchInterval how often the file is checked for changes (a changed file is reloaded)
 */
@Validated
@ConfigurationProperties("voicebridge.profiles")
public record ProfilesProperties(Path file, @NotNull @DefaultValue("5s") Duration watchInterval) {

}

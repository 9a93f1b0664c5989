package dev.voicebridge.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Start-up settings.
 *
 * @param warmUp run the frame paths (Twilio's codec, the upstream's, the WebSocket stacks over
 * loopback) before the instance reports ready, so its first calls do not wait for the JIT; the
 * tests switch it off, except the ones that test it
 */
@ConfigurationProperties("voicebridge.startup")
public record StartupProperties(@DefaultValue("true") boolean warmUp) {
}

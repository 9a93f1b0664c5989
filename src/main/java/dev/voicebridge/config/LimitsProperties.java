package dev.voicebridge.config;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * What strangers can make this service spend: sockets, handshakes, upstream sessions and admin
 * guesses. Every bound is counted when it refuses something.
 *
 * @param websocketConnections {@code MAX_WEBSOCKET_CONNECTIONS}: WebSocket connections open at once,
 * streams and tests together; one more is refused with 503
 * @param handshakesPerSecond new WebSocket handshakes accepted per second on average
 * @param handshakeBurst handshakes accepted at once after a quiet spell
 * @param startTimeout how long a new stream may take to send a valid {@code start}; then it is
 * closed, its upstream session with it
 * @param streamTokenTtl how long the stream token a webhook hands out stays valid
 * @param replayWindow how long a signed webhook is remembered, so that the same request again
 * gets the same answer and is not acted on twice (Twilio retries within seconds)
 * @param adminFailures failed admin-token attempts one client address may make in a minute
 * before it is refused (429) for the rest of that minute
 * @param testWebsocket the operators' {@code /test-websocket}
 */
@Validated
@ConfigurationProperties("voicebridge.limits")
public record LimitsProperties(@DefaultValue("500") int websocketConnections,
		@DefaultValue("20") int handshakesPerSecond, @DefaultValue("50") int handshakeBurst,
		@NotNull @DefaultValue("5s") Duration startTimeout, @NotNull @DefaultValue("5m") Duration streamTokenTtl,
		@NotNull @DefaultValue("5m") Duration replayWindow, @DefaultValue("10") int adminFailures,
		@Valid @DefaultValue TestWebsocket testWebsocket) {

	public LimitsProperties {
		positive("voicebridge.limits.websocket-connections", websocketConnections);
		positive("voicebridge.limits.handshakes-per-second", handshakesPerSecond);
		positive("voicebridge.limits.handshake-burst", handshakeBurst);
		positive("voicebridge.limits.admin-failures", adminFailures);
		if (startTimeout != null && (startTimeout.toMillis() < 100 || startTimeout.toSeconds() > 60)) {
			throw new InvalidSettingException("voicebridge.limits.start-timeout",
					"must be between 100ms and 60s, was " + startTimeout);
		}
		if (streamTokenTtl != null && streamTokenTtl.toSeconds() < 10) {
			throw new InvalidSettingException("voicebridge.limits.stream-token-ttl",
					"must be at least 10s (Twilio opens the stream within a second or two), was " + streamTokenTtl);
		}
	}

	static void positive(String property, int value) {
		if (value < 1) {
			throw new InvalidSettingException(property, "must be at least 1, was " + value);
		}
	}

	/**
	 * {@code /test-websocket}, which needs no signature.
	 *
	 * @param enabled {@code TEST_WEBSOCKET_ENABLED}; {@code false} removes the endpoint (404)
	 * @param connections test connections open at once; one more is closed with 1013
	 * @param lifetime how long one may stay open; then it is closed with 1000
	 * @param bufferLimit echoes a client has not read yet; beyond, it is closed with 1008
	 * @param maxBytes what one connection may send in all; beyond, it is closed with 1008
	 */
	public record TestWebsocket(@DefaultValue("true") boolean enabled, @DefaultValue("10") int connections,
			@NotNull @DefaultValue("2m") Duration lifetime, @NotNull @DefaultValue("64KB") DataSize bufferLimit,
			@NotNull @DefaultValue("1MB") DataSize maxBytes) {

		public TestWebsocket {
			positive("voicebridge.limits.test-websocket.connections", connections);
		}

	}

}

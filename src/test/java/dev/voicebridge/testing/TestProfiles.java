package dev.voicebridge.testing;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.util.unit.DataSize;

import dev.voicebridge.config.AgentProperties;
import dev.voicebridge.config.BridgeProperties;
import dev.voicebridge.config.CallInsightProperties;
import dev.voicebridge.config.LimitsProperties;
import dev.voicebridge.config.OpenAiProperties;
import dev.voicebridge.profiles.CallProfile;
import dev.voicebridge.profiles.Profiles;

/** Profiles for unit tests: the environment's one implicit profile, from the settings' defaults. */
public final class TestProfiles {

	private TestProfiles() {
	}

	public static Profiles implicit() {
		return implicit(new AgentProperties("be helpful", null, null));
	}

	public static Profiles implicit(AgentProperties agent) {
		OpenAiProperties openai = new OpenAiProperties(null, URI.create("wss://api.openai.com/v1/realtime"), "gpt-realtime",
				"marin", OpenAiProperties.TurnDetection.SERVER_VAD, null, Duration.ofSeconds(10), Duration.ofSeconds(15),
				Duration.ofMinutes(55), null, "gpt-4.1-mini", null);
		return Profiles.implicit(agent, openai, new BridgeProperties.Fallback("Sorry.", null), new SimpleMeterRegistry());
	}

	/** Call insight's defaults: the keypad to the agent, no time limit, no prices, no receiver. */
	public static CallInsightProperties insight() {
		return new CallInsightProperties(CallInsightProperties.DtmfMode.AGENT, Duration.ofSeconds(1), null, "Goodbye.",
				Map.of(), "USD", null, null, 1000, Duration.ofHours(1), Duration.ofSeconds(10), Duration.ofSeconds(1));
	}

	/** The limits' defaults, with the start timeout given. */
	public static LimitsProperties limits(Duration startTimeout) {
		return new LimitsProperties(500, 20, 50, startTimeout, Duration.ofMinutes(5), Duration.ofMinutes(5), 10,
				new LimitsProperties.TestWebsocket(true, 10, Duration.ofMinutes(2), DataSize.ofKilobytes(64), DataSize.ofMegabytes(1)));
	}

	public static CallProfile defaultProfile() {
		return implicit().defaultProfile();
	}

}

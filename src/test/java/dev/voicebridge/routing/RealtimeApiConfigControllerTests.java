package dev.voicebridge.routing;

import java.time.Duration;
import java.util.Optional;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.voicebridge.config.BridgeProperties;
import dev.voicebridge.shared.InMemorySharedState;
import dev.voicebridge.shared.SharedState;

/**
 * The error paths of {@code /realtime-api-config}: what an admin who asks for a probability that
 * is none, or whose change the shared state does not take, gets back.
 */
@WebFluxTest(controllers = RealtimeApiConfigController.class,
		properties = "voicebridge.admin-token=" + RealtimeApiConfigControllerTests.ADMIN)
@EnableConfigurationProperties(BridgeProperties.class)
@Import({ SimpleMeterRegistry.class, RealtimeApiConfigControllerTests.State.class })
class RealtimeApiConfigControllerTests {

	static final String ADMIN = "slice-0123456789abcdef0123456789abcdef";

	@Autowired
	private WebTestClient client;

	@Autowired
	private State state;

	@Test
	void aProbabilityThatIsNoneIsAProblemNamingWhatCame() {
		for (String value : new String[] { "abc", "1.5", "-0.1", "NaN" }) {
			this.client.post()
				.uri("/realtime-api-config?probability=" + value)
				.header("Authorization", "Bearer " + ADMIN)
				.exchange()
				.expectStatus().isBadRequest()
				.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.title").isEqualTo("Invalid realtime probability")
				.jsonPath("$.detail").isEqualTo("probability must be a number from 0.0 to 1.0, was '" + value + "'");
		}
		this.client.post()
			.uri("/realtime-api-config")
			.header("Authorization", "Bearer " + ADMIN)
			.exchange()
			.expectStatus().isBadRequest()
			.expectBody()
			.jsonPath("$.detail").isEqualTo("probability must be a number from 0.0 to 1.0, was missing");
	}

	@Test
	void aChangeTheSharedStateDoesNotTakeIsA503AndChangesNothing() {
		this.state.failing = true;
		try {
			this.client.post()
				.uri("/realtime-api-config?probability=0.25")
				.header("Authorization", "Bearer " + ADMIN)
				.exchange()
				.expectStatus().isEqualTo(503)
				.expectBody()
				.jsonPath("$.title").isEqualTo("Shared state unavailable");
		}
		finally {
			this.state.failing = false;
		}
		this.client.get()
			.uri("/realtime-api-config")
			.header("Authorization", "Bearer " + ADMIN)
			.exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.probability").isEqualTo(1.0)
			.jsonPath("$.source").isEqualTo("REALTIME_PROBABILITY");
	}

	@Test
	void withoutTheTokenThereIsNothingToSee() {
		this.client.post().uri("/realtime-api-config?probability=0.5").exchange().expectStatus().isUnauthorized();
	}

	/** The shared state, made to fail on demand, and the probability over it. */
	static class State {

		volatile boolean failing;

		@Bean
		SharedState sharedState() {
			InMemorySharedState memory = new InMemorySharedState();
			return new SharedState() {
				@Override
				public Optional<String> get(String key) {
					return memory.get(key);
				}

				@Override
				public void put(String key, String value, Duration ttl) {
					if (State.this.failing) {
						throw new IllegalStateException("redis does not answer");
					}
					memory.put(key, value, ttl);
				}

				@Override
				public boolean delete(String key) {
					return memory.delete(key);
				}

				@Override
				public long increment(String key, Duration ttl) {
					return memory.increment(key, ttl);
				}

				@Override
				public String kind() {
					return "memory";
				}
			};
		}

		@Bean
		RealtimeProbability realtimeProbability(SharedState sharedState) {
			return new RealtimeProbability(sharedState, 1.0);
		}

	}

}

package dev.voicebridge.twilio;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.voicebridge.shared.InMemorySharedState;
import dev.voicebridge.shared.SharedState;
import dev.voicebridge.web.WebhookMetrics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances behind one number share what they answered, the way they do over Redis: a
 * retry that reaches the other instance is recognised and gets the first one's answer.
 */
class WebhookReplaysTests {

	private static final Duration WINDOW = Duration.ofMinutes(5);

	private final Writes shared = new Writes(new InMemorySharedState());

	private final WebhookMetrics metrics = new WebhookMetrics(new SimpleMeterRegistry());

	private final WebhookReplays first = new WebhookReplays(WINDOW, this.shared, this.metrics);

	private final WebhookReplays second = new WebhookReplays(WINDOW, this.shared, this.metrics);

	@Test
	void aRequestSeenOnOneInstanceIsAReplayOnTheOther() throws InterruptedException {
		String key = WebhookReplays.key("/twilio/voice", "signature-1");
		assertThat(this.first.earlier(key)).as("the first time").isEmpty();
		assertThat(this.second.earlier(key)).as("while the first is being answered")
			.hasValueSatisfying((answer) -> assertThat(answer.status()).isZero());

		this.first.remember(key, answer(200, "<Response/>"));
		assertThat(this.shared.stored.await(5, TimeUnit.SECONDS)).isTrue();

		Optional<WebhookReplays.Answer> replayed = this.second.earlier(key);
		assertThat(replayed).hasValueSatisfying((answer) -> {
			assertThat(answer.status()).isEqualTo(200);
			assertThat(answer.contentType()).isEqualTo("application/xml");
			assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("<Response/>");
		});
		assertThat(this.first.earlier(key)).as("and on the first instance").isPresent();
	}

	@Test
	void aRequestWhoseFirstAnswerFailedIsServedAnew() throws InterruptedException {
		String key = WebhookReplays.key("/twilio/voice", "signature-2");
		assertThat(this.first.earlier(key)).isEmpty();
		this.first.remember(key, answer(500, "oops"));
		assertThat(this.shared.deleted.await(5, TimeUnit.SECONDS)).isTrue();

		assertThat(this.second.earlier(key)).as("Twilio's retry, on the other instance").isEmpty();
	}

	@Test
	void differentRequestsAreNeverEachOthersReplays() {
		assertThat(this.first.earlier(WebhookReplays.key("/twilio/voice", "a"))).isEmpty();
		assertThat(this.first.earlier(WebhookReplays.key("/twilio/voice", "b"))).isEmpty();
		assertThat(this.first.earlier(WebhookReplays.key("/twilio/gather", "a"))).as("same signature, another path")
			.isEmpty();
	}

	private static WebhookReplays.Answer answer(int status, String body) {
		return new WebhookReplays.Answer(status, "application/xml", body.getBytes(StandardCharsets.UTF_8), Long.MAX_VALUE);
	}

	/** The shared state, telling when the answer's write (done off the request's thread) happened. */
	private static final class Writes implements SharedState {

		private final SharedState delegate;

		final CountDownLatch stored = new CountDownLatch(1);

		final CountDownLatch deleted = new CountDownLatch(1);

		Writes(SharedState delegate) {
			this.delegate = delegate;
		}

		@Override
		public Optional<String> get(String key) {
			return this.delegate.get(key);
		}

		@Override
		public void put(String key, String value, Duration ttl) {
			this.delegate.put(key, value, ttl);
			this.stored.countDown();
		}

		@Override
		public boolean delete(String key) {
			boolean removed = this.delegate.delete(key);
			this.deleted.countDown();
			return removed;
		}

		@Override
		public long increment(String key, Duration ttl) {
			return this.delegate.increment(key, ttl);
		}

		@Override
		public String kind() {
			return "redis";
		}

	}

}

package dev.voicebridge.diagnostics;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up warm-up runs its frames through the real WebSocket path over loopback, and only
 * its own key keeps an upgrade out of the diagnostics.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "voicebridge.startup.warm-up=true")
@AutoConfigureMetrics
class SocketWarmupIntegrationTests {

	@Autowired
	private SocketWarmup warmup;

	@Autowired
	private DiagnosticsJournal journal;

	@Autowired
	private MeterRegistry meters;

	@LocalServerPort
	private int port;

	@Test
	void everyWarmUpFrameCameBackBeforeTheContextWasReady() {
		assertThat(this.warmup.echoed()).isEqualTo(SocketWarmup.FRAMES);
	}

	@Test
	void aWrongKeyIsCountedLikeAnyOtherUpgrade() throws InterruptedException {
		double before = attempts();
		CountDownLatch greeted = new CountDownLatch(1);
		Request request = new Request.Builder().url("ws://127.0.0.1:" + this.port + StreamPaths.TEST)
			.header(SocketWarmup.HEADER, "not-the-key")
			.build();
		WebSocket socket = new OkHttpClient().newWebSocket(request, new WebSocketListener() {
			@Override
			public void onMessage(WebSocket webSocket, String text) {
				greeted.countDown();
			}
		});
		assertThat(greeted.await(10, TimeUnit.SECONDS)).isTrue();
		socket.close(1000, null);

		assertThat(attempts()).isEqualTo(before + 1);
		assertThat(this.journal.attempts()).anySatisfy((attempt) -> assertThat(attempt.path()).isEqualTo(StreamPaths.TEST));
	}

	@Test
	void theWarmUpItselfLeftNoTraceInTheFunnelOrTheJournal() {
		// runs in the same context as the test above, so only what precedes any test counts:
		// the journal's attempts are all from the wrong-key test, never from the warm-up
		assertThat(this.journal.attempts()).allSatisfy((attempt) -> assertThat(attempt.userAgent())
			.isNotEqualTo("voice-bridge-warm-up"));
	}

	private double attempts() {
		return this.meters.counter("voicebridge.stream.upgrade.attempts", "path", StreamPaths.TEST, "upgrade", "websocket")
			.count();
	}

}

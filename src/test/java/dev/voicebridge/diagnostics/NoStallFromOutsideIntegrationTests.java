package dev.voicebridge.diagnostics;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import dev.voicebridge.testing.Audio;
import dev.voicebridge.testing.FakeTwilioCall;
import dev.voicebridge.testing.RawWebSocket;
import dev.voicebridge.testing.SignedTwilio;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two hundred clients open {@code /test-websocket}, which needs no signature, and send without
 * ever reading, while a real call runs and Twilio's webhooks come in. The call must hear every
 * frame back and the webhooks must be answered as they are without the crowd. The bounds are
 * what a caller would notice (a second of audio, Twilio's patience with a webhook), far above
 * the usual milliseconds; the measured figures are printed for docs/benchmarks.md.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "voicebridge.twilio.auth-token=" + NoStallFromOutsideIntegrationTests.TOKEN,
				"voicebridge.public-url=https://voice.example.com" })
@DirtiesContext
class NoStallFromOutsideIntegrationTests {

	static final String TOKEN = "5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e";

	private static final int CLIENTS = 200;

	private static final int FRAMES = 100;

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meters;

	@Test
	void twoHundredClientsThatNeverReadDoNotSlowACallOrTheWebhooks() throws Exception {
		Measured quiet = measure("CAquiet");

		AtomicBoolean stop = new AtomicBoolean();
		CountDownLatch connected = new CountDownLatch(CLIENTS);
		List<Thread> crowd = new ArrayList<>();
		for (int i = 0; i < CLIENTS; i++) {
			Thread client = new Thread(() -> neverRead(stop, connected), "never-reads-" + i);
			client.setDaemon(true);
			client.start();
			crowd.add(client);
		}
		assertThat(connected.await(30, TimeUnit.SECONDS)).as("every client sent its handshake").isTrue();
		Measured crowded;
		try {
			crowded = measure("CAcrowded");
		}
		finally {
			stop.set(true);
		}
		for (Thread client : crowd) {
			client.join(10_000);
		}

		System.out.printf("[no-stall] frame round trip p50/p99/max ms: quiet %s, with %d clients that never read %s; "
				+ "webhook p50/p99/max ms: quiet %s, crowded %s%n", quiet.frames(), CLIENTS, crowded.frames(),
				quiet.webhooks(), crowded.webhooks());
		assertThat(crowded.lost()).as("every frame came back").isZero();
		assertThat(crowded.frameMax()).as("no frame waited a second").isLessThan(1_000);
		assertThat(crowded.webhookMax()).as("no webhook waited two seconds").isLessThan(2_000);
		double refused = this.meters.counter("voicebridge.test.websocket.closed", "reason", "capacity").count()
				+ this.meters.counter("voicebridge.stream.handshakes", "path", "/test-websocket", "outcome", "rejected",
						"reason", "rate").count();
		assertThat(refused).as("the crowd met the limits").isGreaterThan(CLIENTS / 2.0);
	}

	/** One call's round trips, paced as Twilio paces them, and twenty webhooks. */
	private Measured measure(String callSid) throws Exception {
		SignedTwilio twilio = new SignedTwilio(this.port, TOKEN);
		Map<String, String> parameters = twilio.answer(callSid, "ACfake");
		FakeTwilioCall call = twilio.stream("MZ" + callSid, callSid);
		call.start(parameters);
		long[] frames = new long[FRAMES];
		int lost = 0;
		for (int i = 0; i < FRAMES; i++) {
			long sent = System.nanoTime();
			call.media(Audio.frame(i));
			if (call.next("media", Duration.ofSeconds(5)) == null) {
				lost++;
			}
			frames[i] = (System.nanoTime() - sent) / 1_000_000;
			long next = sent + 20_000_000 - System.nanoTime();
			if (next > 0) {
				TimeUnit.NANOSECONDS.sleep(next);
			}
		}
		call.stop();
		call.awaitClosed(Duration.ofSeconds(10));
		long[] webhooks = new long[20];
		for (int i = 0; i < webhooks.length; i++) {
			long sent = System.nanoTime();
			twilio.answer(callSid + "w" + i, "ACfake");
			webhooks[i] = (System.nanoTime() - sent) / 1_000_000;
		}
		return new Measured(frames, webhooks, lost);
	}

	/**
	 * Upgrades to {@code /test-websocket} by hand, then sends a 1 KB text frame every 10 ms and
	 * never reads another byte, until told to stop or the server drops it. A refused upgrade
	 * (503 for the rate) ends the client.
	 */
	private void neverRead(AtomicBoolean stop, CountDownLatch connected) {
		byte[] frame = RawWebSocket.textFrame(1024);
		try (Socket socket = new Socket("localhost", this.port)) {
			boolean upgraded;
			try {
				upgraded = RawWebSocket.upgrade(socket, "/test-websocket").startsWith("HTTP/1.1 101");
			}
			finally {
				connected.countDown();
			}
			OutputStream out = socket.getOutputStream();
			while (upgraded && !stop.get()) {
				out.write(frame);
				out.flush();
				TimeUnit.MILLISECONDS.sleep(10);
			}
		}
		catch (IOException | InterruptedException ex) {
			// dropped by the server: what a limit does
		}
	}

	private record Measured(long[] frameMillis, long[] webhookMillis, int lost) {

		long frameMax() {
			return Arrays.stream(this.frameMillis).max().orElse(0);
		}

		long webhookMax() {
			return Arrays.stream(this.webhookMillis).max().orElse(0);
		}

		String frames() {
			return percentiles(this.frameMillis);
		}

		String webhooks() {
			return percentiles(this.webhookMillis);
		}

		private static String percentiles(long[] values) {
			long[] sorted = values.clone();
			Arrays.sort(sorted);
			return sorted[sorted.length / 2] + "/" + sorted[(int) Math.ceil(sorted.length * 0.99) - 1] + "/"
					+ sorted[sorted.length - 1];
		}

	}

}

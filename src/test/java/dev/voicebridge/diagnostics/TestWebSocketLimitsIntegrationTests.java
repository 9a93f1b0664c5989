package dev.voicebridge.diagnostics;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import dev.voicebridge.testing.FakeTwilioCall;
import dev.voicebridge.testing.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /test-websocket} needs no signature, so it keeps strangers within bounds: before, it
 * had no cap, no lifetime, no way to turn it off, and its echo waited on the client.
 */
class TestWebSocketLimitsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = "voicebridge.limits.test-websocket.connections=2")
	@DirtiesContext
	class Capped {

		@LocalServerPort
		private int port;

		@Autowired
		private MeterRegistry meters;

		@Test
		void oneConnectionMoreThanTheCapIsToldToTryAgainLater() throws Exception {
			List<FakeTwilioCall> open = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				FakeTwilioCall probe = FakeTwilioCall.connect(url(), "x", "y");
				assertThat(probe.next(WAIT).path("status").asText()).isEqualTo("connected");
				open.add(probe);
			}
			FakeTwilioCall third = FakeTwilioCall.connect(url(), "x", "y");
			assertThat(third.awaitClosed(WAIT)).isEqualTo(1013);
			assertThat(this.meters.counter("voicebridge.test.websocket.closed", "reason", "capacity").count())
				.isPositive();
			open.forEach(FakeTwilioCall::close);
		}

		private String url() {
			return "ws://localhost:" + this.port + "/test-websocket";
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "voicebridge.limits.test-websocket.lifetime=2s",
					"voicebridge.limits.test-websocket.max-bytes=64KB" })
	@DirtiesContext
	class Bounded {

		@LocalServerPort
		private int port;

		@Autowired
		private MeterRegistry meters;

		@Test
		void aConnectionIsClosedAtTheEndOfItsLifetime() throws Exception {
			FakeTwilioCall probe = FakeTwilioCall.connect(url(), "x", "y");
			assertThat(probe.next(WAIT).path("status").asText()).isEqualTo("connected");
			assertThat(probe.awaitClosed(WAIT)).isEqualTo(1000);
			assertThat(this.meters.counter("voicebridge.test.websocket.closed", "reason", "lifetime").count())
				.isPositive();
		}

		@Test
		void aClientThatSendsWithoutReadingIsDroppedWithinItsBudget() throws Exception {
			double before = limited();
			boolean dropped = false;
			try (Socket socket = new Socket("localhost", this.port)) {
				OutputStream out = socket.getOutputStream();
				assertThat(RawWebSocket.upgrade(socket, "/test-websocket")).startsWith("HTTP/1.1 101");
				byte[] frame = RawWebSocket.textFrame(1024);
				// from here on nothing is read; far more than the socket buffers on both sides hold
				for (int i = 0; i < 200_000 && !dropped; i++) {
					try {
						out.write(frame);
					}
					catch (IOException ex) {
						dropped = true;
					}
				}
			}
			assertThat(dropped).as("the server dropped the client").isTrue();
			// whichever comes first: its echoes back up in the server (not_reading), or it passes
			// its budget (too_much; first on loopback, whose socket buffers take megabytes)
			assertThat(limited()).isEqualTo(before + 1);
		}

		private double limited() {
			return this.meters.counter("voicebridge.test.websocket.closed", "reason", "not_reading").count()
					+ this.meters.counter("voicebridge.test.websocket.closed", "reason", "too_much").count();
		}

		@Test
		void aClientThatSendsMoreThanATestNeedsIsClosed() throws Exception {
			double before = this.meters.counter("voicebridge.test.websocket.closed", "reason", "too_much").count();
			FakeTwilioCall probe = FakeTwilioCall.connect(url(), "x", "y");
			assertThat(probe.next(WAIT).path("status").asText()).isEqualTo("connected");
			String kilobyte = "\"" + "c".repeat(1022) + "\"";
			for (int i = 0; i < 80; i++) {
				probe.send(kilobyte);
			}
			assertThat(probe.awaitClosed(WAIT)).isEqualTo(1008);
			assertThat(this.meters.counter("voicebridge.test.websocket.closed", "reason", "too_much").count())
				.isEqualTo(before + 1);
		}

		private String url() {
			return "ws://localhost:" + this.port + "/test-websocket";
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = "voicebridge.limits.test-websocket.enabled=false")
	@DirtiesContext
	class SwitchedOff {

		@LocalServerPort
		private int port;

		@Test
		void theEndpointIsNotThere() throws IOException {
			Request request = new Request.Builder().url("http://localhost:" + this.port + "/test-websocket")
				.header("Connection", "Upgrade")
				.header("Upgrade", "websocket")
				.header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
				.header("Sec-WebSocket-Version", "13")
				.build();
			try (Response response = new OkHttpClient().newCall(request).execute()) {
				assertThat(response.code()).isEqualTo(404);
			}
		}

	}

}

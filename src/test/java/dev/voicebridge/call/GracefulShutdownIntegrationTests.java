package dev.voicebridge.call;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.voicebridge.testing.Audio;
import dev.voicebridge.testing.FakeTwilioCall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM as a platform sends it, to the service running as its own process: readiness goes
 * DOWN, new calls are turned away, the active call goes on until the drain timeout and is then
 * closed with 1001, and the process exits 0.
 */
class GracefulShutdownIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(5)).build();

	@TempDir
	Path directory;

	@Test
	void sigtermDrainsActiveCallsThenExitsZero() throws Exception {
		int port = freePort();
		Process service = start(port, "3s");
		try {
			String base = "http://localhost:" + port;
			await().atMost(Duration.ofSeconds(60)).until(() -> status(base + "/actuator/health/readiness") == 200);
			FakeTwilioCall call = FakeTwilioCall.connect("ws://localhost:" + port + "/twilio-media", "MZdrain1", "CAdrain1");
			call.start(Map.of());
			// an echoed frame proves the service holds the call before it is told to stop
			String first = Audio.frame(98);
			call.media(first);
			assertThat(call.next("media", WAIT).path("media").path("payload").asText()).isEqualTo(first);

			service.destroy(); // SIGTERM
			try {
				await().atMost(Duration.ofSeconds(20)).until(() -> status(base + "/actuator/health/readiness") == 503);
			}
			catch (org.awaitility.core.ConditionTimeoutException ex) {
				throw new AssertionError("readiness never went DOWN; service log:\n" + log(), ex);
			}
			assertThat(webhook(base)).contains("<Say>").doesNotContain("<Connect");
			assertThatThrownBy(() -> FakeTwilioCall.connect("ws://localhost:" + port + "/twilio-media", "MZdrain2",
					"CAdrain2")).hasMessageContaining("code=503");
			assertThat(status(base + "/actuator/health/liveness")).isEqualTo(200);

			String frame = Audio.frame(99);
			call.media(frame);
			assertThat(call.next("media", WAIT).path("media").path("payload").asText()).isEqualTo(frame);
			assertThat(call.awaitClosed(WAIT)).isEqualTo(1001);

			assertThat(service.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(service.exitValue()).as(log()).isZero();
			assertThat(log()).contains("[Drain] shutting down: 1 active call(s)", "remaining calls closed with 1001");
		}
		finally {
			service.destroyForcibly();
		}
	}

	@Test
	void aDrainWithNoCallsLeftEndsAtOnce() throws Exception {
		int port = freePort();
		Process service = start(port, "60s");
		try {
			await().atMost(Duration.ofSeconds(60))
				.until(() -> status("http://localhost:" + port + "/actuator/health/readiness") == 200);
			long stopping = System.nanoTime();
			service.destroy();
			assertThat(service.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(service.exitValue()).isZero();
			assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(30));
			assertThat(log()).contains("every call ended by itself");
		}
		finally {
			service.destroyForcibly();
		}
	}

	private Process start(int port, String drainTimeout) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), "-XX:TieredStopAtLevel=1",
				"dev.voicebridge.VoiceBridgeApplication"));
		builder.environment().keySet().removeIf((name) -> name.startsWith("OPENAI_") || name.startsWith("TWILIO_")
				|| name.equals("PUBLIC_URL") || name.equals("ADMIN_TOKEN"));
		builder.environment().put("PORT", Integer.toString(port));
		builder.environment().put("DRAIN_TIMEOUT", drainTimeout);
		return builder.redirectErrorStream(true).redirectOutput(this.directory.resolve("service.log").toFile()).start();
	}

	private String log() throws IOException {
		return Files.readString(this.directory.resolve("service.log"));
	}

	private int status(String url) {
		try (Response response = this.http.newCall(new Request.Builder().url(url).build()).execute()) {
			return response.code();
		}
		catch (IOException ex) {
			return -1;
		}
	}

	private String webhook(String base) throws IOException {
		Request request = new Request.Builder().url(base + "/twilio/voice")
			.post(new FormBody.Builder().add("CallSid", "CAdrain3").build())
			.build();
		try (Response response = this.http.newCall(request).execute()) {
			return response.body().string();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}

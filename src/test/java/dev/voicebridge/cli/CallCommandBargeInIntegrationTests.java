package dev.voicebridge.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.voicebridge.testing.Audio;
import dev.voicebridge.testing.FakeRealtimeServer;
import dev.voicebridge.testing.SharedRealtimeUpstream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code call} command talking over an agent on the Realtime interface: the agent's answer
 * is cut by the caller, and the keys reach the agent as a keypad entry.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(SharedRealtimeUpstream.class)
class CallCommandBargeInIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final FakeRealtimeServer openai = SharedRealtimeUpstream.server();

	@TempDir
	Path dir;

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		registry.add("voicebridge.openai.api-key", () -> "sk-test-secret");
		registry.add("voicebridge.twilio.validate-signatures", () -> "false");
		registry.add("voicebridge.openai.realtime-url", openai::url);
	}

	@Test
	void theCallerCutsTheAgentShortAndPressesKeys() throws Exception {
		Path in = Tones.write(this.dir.resolve("in.wav"), 8000, 300, 0.5);
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		String[] args = { "http://localhost:" + this.port, "--play", in.toString(), "--barge-in-after", "1s", "--keys",
				"1#", "--wait", "300ms" };
		CompletableFuture<Integer> exit = CompletableFuture
			.supplyAsync(() -> CallCommand.run(args, new PrintStream(output, true, StandardCharsets.UTF_8), Map.of()));

		FakeRealtimeServer.Connection upstream = openai.nextConnection(WAIT);
		upstream.next("session.update", WAIT);
		// the caller's first frame follows its start: the stream is the call's now, so the agent may talk
		upstream.next("input_audio_buffer.append", WAIT);
		upstream.responseCreated("resp_1");
		for (int i = 0; i < 150; i++) {
			// three seconds of the agent talking, all at once as the model sends it
			upstream.delta("resp_1", "item_1", Audio.frame(100 + i, 160));
		}
		JsonNode append = upstream.next("input_audio_buffer.append", WAIT);
		while (silent(append)) {
			append = upstream.next("input_audio_buffer.append", WAIT);
		}
		upstream.speechStarted();
		JsonNode keypad = upstream.next("conversation.item.create", WAIT);

		assertThat(exit.get(30, TimeUnit.SECONDS)).as(output.toString(StandardCharsets.UTF_8)).isZero();
		String printed = output.toString(StandardCharsets.UTF_8);
		assertThat(printed).contains("started over the agent", "keys 1# pressed", "barge-ins 1 (1 clears cut ",
				"The call worked.");
		assertThat(keypad.path("item").path("content").path(0).path("text").asString())
			.isEqualTo("The caller pressed 1 on the phone's keypad.");
		assertThat(openai.schemaViolations()).isEmpty();
	}

	private static boolean silent(JsonNode append) {
		for (byte sample : Base64.getDecoder().decode(append.path("audio").asString())) {
			if ((sample & 0x7F) != 0x7F) {
				return false;
			}
		}
		return true;
	}

}

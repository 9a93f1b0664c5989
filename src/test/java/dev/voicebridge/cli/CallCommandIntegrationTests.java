package dev.voicebridge.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code call} command against the service on its embedded default, the echo agent, with
 * signatures checked: what the caller says comes back as the recording.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "voicebridge.twilio.auth-token=" + CallCommandIntegrationTests.TOKEN)
class CallCommandIntegrationTests {

	static final String TOKEN = "call-command-test-token";

	@TempDir
	Path dir;

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meters;

	private final ByteArrayOutputStream output = new ByteArrayOutputStream();

	@Test
	void theEchoAgentPlaysTheCallerBackIntoTheRecording() throws Exception {
		Path in = Tones.write(this.dir.resolve("in.wav"), 16000, 440, 1.0);
		Path out = this.dir.resolve("out.wav");
		double keys = this.meters.counter("voicebridge.dtmf").count();

		int exit = call(Map.of("TWILIO_AUTH_TOKEN", TOKEN), "--play", in.toString(), "--record", out.toString(),
				"--keys", "1#", "--wait", "300ms");

		assertThat(exit).as(printed()).isZero();
		assertThat(printed()).contains("webhook   200 in", ", signed", "upgraded in", "keys 1# pressed",
				"the caller hung up after the agent had been quiet for 300 ms", "The call worked.");
		byte[] said = PhoneAudio.read(in);
		assertThat(said).hasSize(8000);
		assertThat(PhoneAudio.read(out)).startsWith(said);
		assertThat(this.meters.counter("voicebridge.dtmf").count()).isEqualTo(keys + 2);
	}

	@Test
	void anUnsignedCallIsRefusedAndTheReasonSaysWhatToSet() {
		int exit = call(Map.of(), "--wait", "100ms");

		assertThat(exit).isEqualTo(1);
		assertThat(printed()).contains("the webhook refused the call (403)", "set TWILIO_AUTH_TOKEN", "The call failed");
		assertThat(printed()).doesNotContain(TOKEN);
	}

	@Test
	void aWrongTokenIsNamedWithoutShowingEitherToken() {
		int exit = call(Map.of("TWILIO_AUTH_TOKEN", "another-token"));

		assertThat(exit).isEqualTo(1);
		assertThat(printed()).contains("the signature did not match").doesNotContain(TOKEN, "another-token");
	}

	@Test
	void badUsageAndUnreadableAudioExitWithTwoAndSayWhy() {
		assertThat(call(Map.of(), "--keys", "12x")).isEqualTo(2);
		assertThat(printed()).contains("--keys takes keys 0-9, * and #, not 12x", "usage:");
		assertThat(call(Map.of(), "--play", this.dir.resolve("missing.wav").toString())).isEqualTo(2);
		assertThat(printed()).contains("missing.wav: no such file");
		assertThat(call(Map.of(), "--barge-in-after", "2s")).isEqualTo(2);
		assertThat(printed()).contains("--barge-in-after needs --play");
		assertThat(CallCommand.run(new String[] { "localhost:8080" }, new PrintStream(this.output), Map.of()))
			.isEqualTo(2);
	}

	private int call(Map<String, String> environment, String... options) {
		String[] args = new String[options.length + 1];
		args[0] = "http://localhost:" + this.port;
		System.arraycopy(options, 0, args, 1, options.length);
		return CallCommand.run(args, new PrintStream(this.output, true, StandardCharsets.UTF_8), environment);
	}

	private String printed() {
		return this.output.toString(StandardCharsets.UTF_8);
	}

}

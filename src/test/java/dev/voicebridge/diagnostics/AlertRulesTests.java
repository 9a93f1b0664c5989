package dev.voicebridge.diagnostics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.voicebridge.testing.RequiresProgram;
import dev.voicebridge.testing.TestProgram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs {@code promtool} over {@code ops/prometheus}: the alert rules must load, pass their unit
 * tests, and those unit tests must notice a broken rule.
 */
@RequiresProgram(TestProgram.PROMTOOL)
class AlertRulesTests {

	private static final Path RULES = Path.of("ops", "prometheus", "alerts.yml");

	private static final Path RULE_TESTS = Path.of("ops", "prometheus", "alerts.test.yml");

	private static final long TIMEOUT_SECONDS = 120;

	@TempDir
	Path work;

	@Test
	void rulesLoad() throws Exception {
		Result result = promtool(projectRoot(), "check", "rules", RULES.toString());

		assertThat(result.exitCode()).as(result.describe()).isZero();
		assertThat(result.output()).as(result.describe()).contains("SUCCESS");
	}

	@Test
	void rulesPassTheirUnitTests() throws Exception {
		Result result = promtool(projectRoot(), "test", "rules", RULE_TESTS.toString());

		assertThat(result.exitCode()).as(result.describe()).isZero();
		assertThat(result.output()).as(result.describe()).contains("SUCCESS");
	}

	@Test
	void unitTestsCatchABrokenRule() throws Exception {
		// Counting missing streams over one minute instead of ten forgets calls that failed a few
		// minutes ago: still valid PromQL, but VoiceBridgeStreamsMissing no longer fires in its test.
		String rules = Files.readString(projectRoot().resolve(RULES));
		String window = "increase(voicebridge_calls_stream_missing_total[10m])";
		assertThat(rules).containsOnlyOnce(window);
		Files.writeString(this.work.resolve("broken-alerts.yml"),
				rules.replace(window, "increase(voicebridge_calls_stream_missing_total[1m])"));

		String tests = Files.readString(projectRoot().resolve(RULE_TESTS));
		String ruleFiles = "rule_files:\n  - alerts.yml\n";
		assertThat(tests).containsOnlyOnce(ruleFiles);
		Files.writeString(this.work.resolve("broken-alerts.test.yml"),
				tests.replace(ruleFiles, "rule_files:\n  - broken-alerts.yml\n"));

		Result check = promtool(this.work, "check", "rules", "broken-alerts.yml");
		assertThat(check.exitCode()).as(check.describe()).isZero();

		Result test = promtool(this.work, "test", "rules", "broken-alerts.test.yml");
		assertThat(test.exitCode()).as(test.describe()).isNotZero();
		assertThat(test.output()).as(test.describe()).contains("FAILED").contains("VoiceBridgeStreamsMissing");
	}

	private Result promtool(Path directory, String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(TestProgram.PROMTOOL.path().toString());
		command.addAll(List.of(arguments));
		// Output goes to a file rather than a pipe, so a hung promtool cannot block the read.
		Path output = Files.createTempFile(this.work, "promtool", ".log");
		Process process = new ProcessBuilder(command).directory(directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			fail("promtool did not finish within %d s: %s%n%s", TIMEOUT_SECONDS, command,
					Files.readString(output, StandardCharsets.UTF_8));
		}
		return new Result(command, process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
	}

	private static Path projectRoot() {
		// Surefire runs tests in the module's base directory.
		Path root = Path.of("").toAbsolutePath();
		assertThat(root.resolve(RULES)).as("alert rules under %s", root).isRegularFile();
		return root;
	}

	private record Result(List<String> command, int exitCode, String output) {

		String describe() {
			return String.join(" ", this.command) + " exited " + this.exitCode + ":\n" + this.output;
		}

	}

}

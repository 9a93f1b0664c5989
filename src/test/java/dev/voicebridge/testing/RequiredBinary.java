package dev.voicebridge.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;

/**
 * Finds a real program a test needs (nginx, haproxy, chromium, promtool). Missing on a
 * developer's machine, the test is skipped with the command that installs it; missing on CI
 * (where {@code CI} is set and {@code .ci/run} installs everything), the test fails.
 */
public final class RequiredBinary {

	private RequiredBinary() {
	}

	public static Path find(String name, String install) {
		Optional<Path> found = lookup(name);
		if (found.isEmpty()) {
			String message = name + " is not installed; install it with: " + install;
			String ci = System.getenv("CI");
			if (ci != null && !ci.isBlank()) {
				throw new AssertionError(message + " (CI must install every binary the tests use: see .ci/run)");
			}
			Assumptions.assumeTrue(false, message);
		}
		return found.get();
	}

	private static Optional<Path> lookup(String name) {
		String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin" + File.pathSeparator
				+ "/sbin";
		for (String directory : path.split(File.pathSeparator)) {
			Path candidate = Path.of(directory, name);
			if (Files.isExecutable(candidate)) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

}

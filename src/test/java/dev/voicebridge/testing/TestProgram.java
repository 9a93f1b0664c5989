package dev.voicebridge.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A real program some tests drive, found on {@code PATH}, {@code /usr/sbin} or {@code /sbin}.
 * Tests declare it with {@link RequiresProgram}; {@link #path()} is for code running inside them.
 * With {@code VOICEBRIDGE_TEST_PROGRAMS=hidden} no program is found, as on a fresh machine.
 */
public enum TestProgram {

	NGINX("nginx", "nginx"),

	HAPROXY("haproxy", "haproxy"),

	PROMTOOL("promtool", "prometheus"),

	CHROMIUM("chromium", "chromium"),

	REDIS_SERVER("redis-server", "redis-server");

	private final String command;

	private final String debianPackage;

	TestProgram(String command, String debianPackage) {
		this.command = command;
		this.debianPackage = debianPackage;
	}

	/** The installed binary, if any: an executable regular file, so a path hidden by a bind mount does not count. */
	public Optional<Path> lookup() {
		if (ProgramsSetting.current() == ProgramsSetting.HIDDEN) {
			return Optional.empty();
		}
		String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin" + File.pathSeparator
				+ "/sbin";
		for (String directory : path.split(File.pathSeparator)) {
			if (directory.isEmpty()) {
				continue;
			}
			Path candidate = Path.of(directory, this.command);
			if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

	/** The binary of a program the running test declared with {@link RequiresProgram}. */
	public Path path() {
		return lookup().orElseThrow(() -> new IllegalStateException(
				notInstalled() + "; the test must declare @RequiresProgram(TestProgram." + name() + ")"));
	}

	/** The one line a test skipped for this program reports. */
	String notInstalled() {
		return this.command + " is not installed (Debian package " + this.debianPackage
				+ "; scripts/install-test-tools.sh installs it)";
	}

}

package dev.voicebridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packages of {@code dev.voicebridge} are rooms with walls: read from the sources' imports,
 * no top-level package reaches, directly or through others, one that reaches it (a subpackage
 * such as {@code agent.realtime} belongs to its parent's room). Code names no class by its
 * fully qualified name, so the imports are the whole of a file's dependencies.
 */
class PackageDependencyTests {

	private static final Path MAIN = Path.of("src", "main", "java", "dev", "voicebridge");

	private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.voicebridge\\.([a-z]+)\\.",
			Pattern.MULTILINE);

	private static final Pattern QUALIFIED = Pattern
		.compile("\\b(?:java|javax|jakarta|org|com|io|okhttp3|tools|reactor|sun|dev)\\.[a-z0-9]+(?:\\.[a-z0-9]+)*\\.[A-Z]");

	private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

	@Test
	void noPackageReachesBackIntoOneThatReachesIt() {
		Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
		for (Path file : sources()) {
			String room = room(file);
			if (room == null) {
				continue;
			}
			Matcher imported = IMPORT.matcher(read(file));
			while (imported.find()) {
				if (!imported.group(1).equals(room)) {
					graph.computeIfAbsent(room, (key) -> new TreeMap<>())
						.computeIfAbsent(imported.group(1), (key) -> new TreeSet<>())
						.add(file.getFileName().toString());
				}
			}
		}
		assertThat(graph).containsKeys("call", "media", "twilio", "routing", "traditional", "web");
		assertThat(cycles(graph)).isEmpty();
	}

	@Test
	void aCycleIsFoundWithTheFilesThatMakeIt() {
		Map<String, Map<String, Set<String>>> graph = Map.of("a", Map.of("b", Set.of("A.java")), "b",
				Map.of("c", Set.of("B.java")), "c", Map.of("a", Set.of("C.java")), "d", Map.of("a", Set.of("D.java")));

		assertThat(cycles(graph)).containsExactly("a -> b (A.java) -> c (B.java) -> a (C.java)");
	}

	@Test
	void codeNamesNoClassByItsFullName() {
		List<String> found = new ArrayList<>();
		for (Path file : sources()) {
			String[] lines = read(file).split("\n");
			for (int i = 0; i < lines.length; i++) {
				String line = lines[i].strip();
				if (line.startsWith("import ") || line.startsWith("package ") || line.startsWith("*")
						|| line.startsWith("/*") || line.startsWith("//")) {
					continue;
				}
				String code = STRING.matcher(line.replaceAll("//.*$", "")).replaceAll("\"\"");
				if (QUALIFIED.matcher(code).find()) {
					found.add(MAIN.relativize(file) + ":" + (i + 1) + ": " + line);
				}
			}
		}
		assertThat(found).isEmpty();
	}

	/** Each cycle once, from its alphabetically first package, with the files behind each step. */
	private static List<String> cycles(Map<String, Map<String, Set<String>>> graph) {
		Set<String> cycles = new TreeSet<>();
		for (String start : graph.keySet()) {
			Deque<List<String>> paths = new ArrayDeque<>();
			paths.add(List.of(start));
			while (!paths.isEmpty()) {
				List<String> path = paths.poll();
				String last = path.get(path.size() - 1);
				for (String next : graph.getOrDefault(last, Map.of()).keySet()) {
					if (next.equals(start)) {
						List<String> cycle = new ArrayList<>(path);
						cycle.add(start);
						if (cycle.stream().allMatch((room) -> room.compareTo(start) >= 0)) {
							cycles.add(describe(graph, cycle));
						}
					}
					else if (!path.contains(next)) {
						List<String> longer = new ArrayList<>(path);
						longer.add(next);
						paths.add(longer);
					}
				}
			}
		}
		return List.copyOf(cycles);
	}

	private static String describe(Map<String, Map<String, Set<String>>> graph, List<String> cycle) {
		StringBuilder text = new StringBuilder(cycle.get(0));
		for (int i = 1; i < cycle.size(); i++) {
			text.append(" -> ").append(cycle.get(i)).append(" (")
				.append(String.join(", ", graph.get(cycle.get(i - 1)).get(cycle.get(i)))).append(")");
		}
		return text.toString();
	}

	/** The top-level package a source file lives in, or null for the application class. */
	private static String room(Path file) {
		Path relative = MAIN.relativize(file);
		return (relative.getNameCount() > 1) ? relative.getName(0).toString() : null;
	}

	private static List<Path> sources() {
		try (Stream<Path> files = Files.walk(MAIN)) {
			return files.filter((file) -> file.toString().endsWith(".java")).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}

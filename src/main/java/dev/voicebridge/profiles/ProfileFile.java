package dev.voicebridge.profiles;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a profiles file into {@link ProfileFile.Definition}s, strictly: an unknown key, a
 * number that is not E.164 or is claimed twice, a missing default or a value out of range is an
 * error naming the profile, the key and the line. Nothing here knows the environment.
 */
final class ProfileFile {

	/** A profiles file is a page or two; anything near this is not one. */
	static final int MAX_BYTES = 1024 * 1024;

	private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

	private ProfileFile() {
	}

	/**
	 * One profile as the file wrote it. {@code settings} and each plan's map hold only the keys it
	 * set; a key set to an empty value maps to null (none).
	 */
	record Definition(String id, List<String> numbers, Map<ProfileSetting, Object> settings,
			Map<String, Map<ProfileSetting, Object>> plans) {
	}

	/** The file's content: its default profile's id and every profile, in file order. */
	record Content(String defaultId, Map<String, Definition> profiles) {
	}

	static byte[] read(Path file) {
		try {
			if (Files.size(file) > MAX_BYTES) {
				throw new ProfileFileException("is larger than " + MAX_BYTES / 1024 + " KB");
			}
			return Files.readAllBytes(file);
		}
		catch (IOException ex) {
			throw new ProfileFileException("cannot be read: " + ex.getClass().getSimpleName() + " " + ex.getMessage());
		}
	}

	static Content parse(byte[] bytes) {
		Node root;
		try {
			root = new Yaml(new SafeConstructor(new LoaderOptions()))
				.compose(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
		}
		catch (YAMLException ex) {
			throw new ProfileFileException("is not valid YAML: " + ex.getMessage().replace('\n', ' '));
		}
		if (!(root instanceof MappingNode top)) {
			throw new ProfileFileException("must be a mapping with 'default' and 'profiles' (see docs/profiles.md)");
		}
		unique(top, "the file");
		String defaultId = null;
		MappingNode profiles = null;
		for (NodeTuple entry : top.getValue()) {
			String key = scalar(entry.getKeyNode(), "a top-level key");
			switch (key) {
				case "default" -> defaultId = scalar(entry.getValueNode(), "'default'");
				case "profiles" -> profiles = mapping(entry.getValueNode(), "'profiles'");
				default -> throw new ProfileFileException(
						"unknown top-level key '" + key + "'" + line(entry.getKeyNode()) + "; the file has 'default' and 'profiles'");
			}
		}
		if (profiles == null || profiles.getValue().isEmpty()) {
			throw new ProfileFileException("defines no profiles: add 'profiles:' with at least one profile");
		}
		Map<String, Definition> definitions = new LinkedHashMap<>();
		Map<String, String> owners = new LinkedHashMap<>();
		for (NodeTuple entry : profiles.getValue()) {
			String id = scalar(entry.getKeyNode(), "a profile id");
			if (!ID.matcher(id).matches()) {
				throw new ProfileFileException("profile id '" + id + "'" + line(entry.getKeyNode())
						+ " must be letters, digits, '-' and '_' (at most 64)");
			}
			if (definitions.containsKey(id)) {
				throw new ProfileFileException("profile '" + id + "' is defined twice" + line(entry.getKeyNode()));
			}
			Definition definition = profile(id, entry.getValueNode());
			for (String number : definition.numbers()) {
				String owner = owners.putIfAbsent(number, id);
				if (owner != null) {
					throw new ProfileFileException("profile '" + id + "', key 'numbers': " + number
							+ " is already claimed by profile '" + owner + "'" + line(entry.getKeyNode()));
				}
			}
			definitions.put(id, definition);
		}
		if (defaultId == null) {
			throw new ProfileFileException("has no 'default': name the profile calls get when nothing else selects one");
		}
		if (!definitions.containsKey(defaultId)) {
			throw new ProfileFileException("'default' names profile '" + defaultId + "', which is not under 'profiles'"
					+ " (there: " + String.join(", ", definitions.keySet()) + ")");
		}
		return new Content(defaultId, definitions);
	}

	private static Definition profile(String id, Node node) {
		if (node instanceof ScalarNode empty && empty.getValue().isEmpty()) {
			return new Definition(id, List.of(), Map.of(), Map.of());
		}
		MappingNode mapping = mapping(node, "profile '" + id + "'");
		unique(mapping, "profile '" + id + "'");
		List<String> numbers = new ArrayList<>();
		Map<ProfileSetting, Object> settings = new LinkedHashMap<>();
		Map<String, Map<ProfileSetting, Object>> plans = new LinkedHashMap<>();
		for (NodeTuple entry : mapping.getValue()) {
			String key = scalar(entry.getKeyNode(), "a key of profile '" + id + "'");
			String where = "profile '" + id + "', key '" + key + "'";
			if ("plans".equals(key)) {
				plans(id, entry.getValueNode(), plans);
				continue;
			}
			ProfileSetting setting = setting(key, where, entry.getKeyNode());
			if (setting == ProfileSetting.NUMBERS) {
				numbers.addAll(numbers(where, entry.getValueNode()));
				continue;
			}
			settings.put(setting, value(setting, where, entry.getValueNode()));
		}
		return new Definition(id, List.copyOf(numbers), settings, plans);
	}

	private static void plans(String id, Node node, Map<String, Map<ProfileSetting, Object>> plans) {
		MappingNode mapping = mapping(node, "the plans of profile '" + id + "'");
		for (NodeTuple entry : mapping.getValue()) {
			String plan = scalar(entry.getKeyNode(), "a plan of profile '" + id + "'");
			if (!ID.matcher(plan).matches()) {
				throw new ProfileFileException("profile '" + id + "', plan '" + plan + "'" + line(entry.getKeyNode())
						+ ": a plan name is letters, digits, '-' and '_' (at most 64)");
			}
			Map<ProfileSetting, Object> settings = new LinkedHashMap<>();
			Node value = entry.getValueNode();
			if (!(value instanceof ScalarNode empty && empty.getValue().isEmpty())) {
				MappingNode planMapping = mapping(value, "plan '" + plan + "' of profile '" + id + "'");
				unique(planMapping, "profile '" + id + "', plan '" + plan + "'");
				for (NodeTuple setting : planMapping.getValue()) {
					String key = scalar(setting.getKeyNode(), "a key of plan '" + plan + "'");
					String where = "profile '" + id + "', plan '" + plan + "', key '" + key + "'";
					ProfileSetting known = setting(key, where, setting.getKeyNode());
					if (known == ProfileSetting.NUMBERS) {
						throw new ProfileFileException(where + line(setting.getKeyNode())
								+ ": numbers select a profile, so they belong to the profile, not to a plan");
					}
					settings.put(known, value(known, where, setting.getValueNode()));
				}
			}
			plans.put(plan, settings);
		}
	}

	private static ProfileSetting setting(String key, String where, Node node) {
		return ProfileSetting.forKey(key)
			.orElseThrow(() -> new ProfileFileException(where + line(node) + ": not a profile setting; the settings are "
					+ ProfileSetting.allKeys() + " and plans"));
	}

	private static Object value(ProfileSetting setting, String where, Node node) {
		String raw = scalar(node, where);
		try {
			return setting.parse(raw);
		}
		catch (IllegalArgumentException ex) {
			throw new ProfileFileException(where + line(node) + ": " + ex.getMessage());
		}
	}

	private static List<String> numbers(String where, Node node) {
		List<Node> items = (node instanceof SequenceNode sequence) ? sequence.getValue() : List.of(node);
		List<String> numbers = new ArrayList<>();
		for (Node item : items) {
			String number = (String) value(ProfileSetting.NUMBERS, where, item);
			if (numbers.contains(number)) {
				throw new ProfileFileException(where + line(item) + ": " + number + " is listed twice");
			}
			numbers.add(number);
		}
		return numbers;
	}

	/** YAML lets a key repeat and keeps the last; in a profile that hides a mistake. */
	private static void unique(MappingNode mapping, String where) {
		Set<String> seen = new HashSet<>();
		for (NodeTuple entry : mapping.getValue()) {
			if (entry.getKeyNode() instanceof ScalarNode key && !seen.add(key.getValue())) {
				throw new ProfileFileException(where + ", key '" + key.getValue() + "'" + line(key) + ": set twice");
			}
		}
	}

	private static String scalar(Node node, String what) {
		if (!(node instanceof ScalarNode scalar)) {
			throw new ProfileFileException(what + line(node) + " must be a single value");
		}
		return scalar.getValue();
	}

	private static MappingNode mapping(Node node, String what) {
		if (!(node instanceof MappingNode mapping)) {
			throw new ProfileFileException(what + line(node) + " must be a mapping of keys to values");
		}
		return mapping;
	}

	private static String line(Node node) {
		return (node != null && node.getStartMark() != null) ? " (line " + (node.getStartMark().getLine() + 1) + ")" : "";
	}

}

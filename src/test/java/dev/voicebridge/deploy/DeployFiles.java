package dev.voicebridge.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import org.yaml.snakeyaml.Yaml;

/**
 * The repository's deploy files, parsed: {@code Dockerfile}, {@code docker-compose.yml},
 * {@code .env.example}, {@code fly.toml}, {@code render.yaml} and {@code railway.json}, plus the
 * facts the application states about itself in {@code application.yml}.
 */
final class DeployFiles {

	/** Tests run from the project directory (Surefire's default working directory). */
	static final Path ROOT = Path.of("").toAbsolutePath();

	private static final Pattern PORT_DEFAULT = Pattern.compile("\\$\\{PORT:(\\d+)}");

	private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)?");

	private DeployFiles() {
	}

	static Path path(String name) {
		return ROOT.resolve(name);
	}

	static String read(String name) {
		try {
			return Files.readString(path(name));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The port the application listens on when the platform sets no {@code PORT}. */
	static int defaultPort() {
		Map<String, Object> yaml = yaml("src/main/resources/application.yml");
		String port = String.valueOf(map(yaml.get("server")).get("port"));
		Matcher matcher = PORT_DEFAULT.matcher(port);
		if (!matcher.matches()) {
			throw new IllegalStateException("server.port in application.yml is not ${PORT:default}: " + port);
		}
		return Integer.parseInt(matcher.group(1));
	}

	static JsonNode flyToml() {
		try {
			return new TomlMapper().readTree(path("fly.toml").toFile());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static JsonNode railwayJson() {
		try {
			return new ObjectMapper().readTree(path("railway.json").toFile());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static Map<String, Object> renderYaml() {
		return yaml("render.yaml");
	}

	/** The one web service of the Blueprint. */
	static Map<String, Object> renderWebService() {
		List<Object> services = list(renderYaml().get("services"));
		if (services.size() != 1) {
			throw new IllegalStateException("render.yaml should define one service, has " + services.size());
		}
		return map(services.get(0));
	}

	static Map<String, Object> compose() {
		return yaml("docker-compose.yml");
	}

	/** The service {@code docker compose up} runs, voice-bridge; the others stand behind profiles. */
	static Map<String, Object> composeService() {
		Map<String, Object> services = map(compose().get("services"));
		List<String> always = services.entrySet()
			.stream()
			.filter((service) -> map(service.getValue()).get("profiles") == null)
			.map(Map.Entry::getKey)
			.toList();
		if (!always.equals(List.of("voice-bridge"))) {
			throw new IllegalStateException("docker-compose.yml should run one service without a profile, voice-bridge; "
					+ "runs " + always);
		}
		return composeService("voice-bridge");
	}

	static Map<String, Object> composeService(String name) {
		Object service = map(compose().get("services")).get(name);
		if (service == null) {
			throw new IllegalStateException("docker-compose.yml has no service " + name);
		}
		return map(service);
	}

	/** The variables {@code .env.example} lists, commented out or not, with their values. */
	static Map<String, String> envExample() {
		Map<String, String> variables = new LinkedHashMap<>();
		Pattern line = Pattern.compile("^#?\\s*([A-Z][A-Z0-9_]*)=(.*)$");
		read(".env.example").lines().map(line::matcher).filter(Matcher::matches).forEach((matcher) -> {
			variables.put(matcher.group(1), matcher.group(2));
		});
		return variables;
	}

	static Dockerfile dockerfile() {
		return Dockerfile.parse(read("Dockerfile"));
	}

	/** Every health-check path a deploy file points a platform at. */
	static Map<String, String> healthPaths() {
		Map<String, String> paths = new LinkedHashMap<>();
		flyToml().path("http_service").path("checks").forEach((check) -> paths.put("fly.toml http_service.checks",
				check.path("path").asText()));
		paths.put("render.yaml healthCheckPath", String.valueOf(renderWebService().get("healthCheckPath")));
		paths.put("railway.json deploy.healthcheckPath", railwayJson().path("deploy").path("healthcheckPath").asText());
		Matcher matcher = Pattern.compile("GET (/\\S*) HTTP").matcher(read("docker/healthcheck.sh"));
		paths.put("Dockerfile HEALTHCHECK (docker/healthcheck.sh)", matcher.find() ? matcher.group(1) : "none");
		return paths;
	}

	/** How long each platform lets the process finish after SIGTERM before it kills it. */
	static Map<String, Duration> shutdownGracePeriods() {
		Map<String, Duration> periods = new LinkedHashMap<>();
		periods.put("fly.toml kill_timeout", seconds(flyToml().path("kill_timeout").asText()));
		periods.put("render.yaml maxShutdownDelaySeconds",
				Duration.ofSeconds(((Number) renderWebService().get("maxShutdownDelaySeconds")).longValue()));
		periods.put("railway.json deploy.drainingSeconds",
				Duration.ofSeconds(railwayJson().path("deploy").path("drainingSeconds").asLong()));
		periods.put("docker-compose.yml stop_grace_period",
				seconds(String.valueOf(composeService().get("stop_grace_period"))));
		return periods;
	}

	/** Environment variables the deploy files set or ask the operator for. */
	static Map<String, String> environmentVariablesNamed() {
		Map<String, String> named = new LinkedHashMap<>();
		flyToml().path("env").fieldNames().forEachRemaining((name) -> named.put(name, "fly.toml [env]"));
		for (Object variable : list(renderWebService().get("envVars"))) {
			named.put(String.valueOf(map(variable).get("key")), "render.yaml envVars");
		}
		Object composeEnvironment = composeService().get("environment");
		if (composeEnvironment != null) {
			map(composeEnvironment).keySet().forEach((name) -> named.put(name, "docker-compose.yml environment"));
		}
		envExample().keySet().forEach((name) -> named.put(name, ".env.example"));
		dockerfile().all("ENV").forEach((env) -> named.put(env.split("[= ]", 2)[0], "Dockerfile ENV"));
		return named;
	}

	/** Fly's and Compose's duration strings ({@code 45s}, {@code 2m}) or plain seconds. */
	static Duration seconds(String text) {
		Matcher matcher = DURATION.matcher(text.strip());
		if (!matcher.matches()) {
			throw new IllegalArgumentException("not a duration: " + text);
		}
		long amount = Long.parseLong(matcher.group(1));
		String unit = (matcher.group(2) != null) ? matcher.group(2) : "s";
		return switch (unit) {
			case "ms" -> Duration.ofMillis(amount);
			case "m" -> Duration.ofMinutes(amount);
			default -> Duration.ofSeconds(amount);
		};
	}

	static Map<String, Object> yaml(String name) {
		try (Reader reader = Files.newBufferedReader(path(name))) {
			return new Yaml().load(reader);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object value) {
		if (!(value instanceof Map)) {
			throw new IllegalStateException("expected a mapping, found " + value);
		}
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	static List<Object> list(Object value) {
		if (!(value instanceof List)) {
			throw new IllegalStateException("expected a list, found " + value);
		}
		return (List<Object>) value;
	}

	/**
	 * A Dockerfile as its instructions, with line continuations joined and comments dropped.
	 *
	 * @param instructions keyword (upper case) and arguments, in order
	 */
	record Dockerfile(List<Instruction> instructions) {

		static Dockerfile parse(String text) {
			List<Instruction> instructions = new ArrayList<>();
			StringBuilder current = new StringBuilder();
			for (String line : text.split("\n")) {
				String stripped = line.strip();
				if (stripped.startsWith("#") || (stripped.isEmpty() && current.isEmpty())) {
					continue;
				}
				if (stripped.endsWith("\\")) {
					current.append(stripped, 0, stripped.length() - 1).append(' ');
					continue;
				}
				current.append(stripped);
				String[] parts = current.toString().strip().split("\\s+", 2);
				instructions.add(new Instruction(parts[0].toUpperCase(), (parts.length > 1) ? parts[1] : ""));
				current.setLength(0);
			}
			return new Dockerfile(instructions);
		}

		List<String> all(String keyword) {
			return this.instructions.stream()
				.filter((instruction) -> instruction.keyword().equals(keyword))
				.map(Instruction::arguments)
				.toList();
		}

		String last(String keyword) {
			List<String> all = all(keyword);
			if (all.isEmpty()) {
				throw new IllegalStateException("the Dockerfile has no " + keyword);
			}
			return all.get(all.size() - 1);
		}

	}

	record Instruction(String keyword, String arguments) {

	}

}

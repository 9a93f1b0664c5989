package dev.voicebridge.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;

import dev.voicebridge.config.EnvironmentVariables;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parses every deploy file and checks it against what its platform documents and against the
 * application: one port, variables the application really reads, secrets never given a value.
 * Health paths and drain timeouts are checked against the running application in
 * {@link DeployFilesIntegrationTests}.
 */
class DeployFilesTests {

	private static final Set<String> SECRETS = Set.of("OPENAI_API_KEY", "TWILIO_AUTH_TOKEN", "ADMIN_TOKEN", "CALL_EVENTS_SECRET");

	private static final Pattern IMAGE = Pattern
		.compile("(?<name>[a-z0-9./-]+):(?<tag>[A-Za-z0-9._-]+)(@sha256:(?<digest>[0-9a-f]{64}))?");

	// an exact release, e.g. 25.0.3_9 (Temurin's tags: version, underscore, build)
	private static final Pattern EXACT_RELEASE = Pattern.compile("(?<release>\\d+\\.\\d+\\.\\d+[_+]\\d+)-.+");

	private final int port = DeployFiles.defaultPort();

	@Test
	void theWrapperPinsTheChecksumOfTheMavenItDownloads() throws Exception {
		Properties wrapper = new Properties();
		try (InputStream in = Files.newInputStream(Path.of(".mvn/wrapper/maven-wrapper.properties"))) {
			wrapper.load(in);
		}
		assertThat(wrapper.getProperty("distributionUrl")).startsWith("https://repo.maven.apache.org/");
		assertThat(wrapper.getProperty("distributionSha256Sum")).as("distributionSha256Sum").matches("[0-9a-f]{64}");
	}

	@Test
	void theApplicationsDefaultPortIs8080() {
		assertThat(this.port).isEqualTo(8080);
	}

	// Dockerfile

	@Test
	void dockerfileBaseImagesArePinnedToOneExactTemurinRelease() {
		List<String> froms = DeployFiles.dockerfile().all("FROM");
		assertThat(froms).hasSize(2);
		Set<String> releases = new LinkedHashSet<>();
		for (String from : froms) {
			String image = from.split("\\s+")[0];
			Matcher matcher = IMAGE.matcher(image);
			assertThat(matcher.matches()).as("FROM %s names image:tag", image).isTrue();
			assertThat(matcher.group("tag")).as(image).isNotEqualTo("latest");
			Matcher release = EXACT_RELEASE.matcher(matcher.group("tag"));
			assertThat(release.matches()).as("FROM %s has an exact release in its tag", image).isTrue();
			releases.add(release.group("release"));
			assertThat(matcher.group("name")).isEqualTo("eclipse-temurin");
		}
		// the AOT cache is written in the build and read at run time by the same JVM release
		assertThat(releases).as("one Temurin release for every stage").hasSize(1);
		assertThat(releases.iterator().next()).as("AOT cache flags need JDK 25").startsWith("25.");
		assertThat(froms.get(1)).as("the runtime stage is a JRE").contains("-jre-");
	}

	@Test
	void dockerfileRunsAsANonRootUser() {
		String user = DeployFiles.dockerfile().last("USER").split(":")[0];
		assertThat(user).isNotIn("root", "0");
		assertThat(user).as("numeric, so Kubernetes' runAsNonRoot can verify it").matches("[1-9][0-9]*");
	}

	@Test
	void dockerfileExposesAndSetsTheDefaultPort() {
		DeployFiles.Dockerfile dockerfile = DeployFiles.dockerfile();
		assertThat(dockerfile.all("EXPOSE")).containsExactly(String.valueOf(this.port));
		assertThat(dockerfile.all("ENV")).contains("PORT=" + this.port);
	}

	@Test
	void dockerfileBuildsWithTheWrapperAndExtractsBootsLayersInOrder() {
		DeployFiles.Dockerfile dockerfile = DeployFiles.dockerfile();
		assertThat(dockerfile.all("RUN")).anySatisfy((run) -> assertThat(run)
			.contains("./mvnw -B -q package -DskipTests")
			.contains("java -Djarmode=tools -jar target/voice-bridge.jar extract --layers --destination /layers"));
		List<String> layers = dockerfile.all("COPY")
			.stream()
			.filter((copy) -> copy.startsWith("--from=build /layers/"))
			.map((copy) -> copy.replaceAll("--from=build /layers/([a-z-]+)/ \\./", "$1"))
			.toList();
		// Spring Boot's default layers, least often changed first (scripts/container-start.sh
		// checks them against the jar's own list-layers)
		assertThat(layers).containsExactly("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");
	}

	@Test
	void dockerfileStartsWithTheAotCacheItsTrainingRunWrote() {
		DeployFiles.Dockerfile dockerfile = DeployFiles.dockerfile();
		assertThat(dockerfile.last("ENTRYPOINT")).isEqualTo("[\"/app/entrypoint.sh\"]");
		assertThat(dockerfile.all("WORKDIR")).last().isEqualTo("/app");
		assertThat(dockerfile.all("COPY")).contains("docker/entrypoint.sh docker/healthcheck.sh ./");
		assertThat(dockerfile.all("RUN")).anySatisfy((run) -> assertThat(run).contains("./entrypoint.sh --train"));

		String entrypoint = DeployFiles.read("docker/entrypoint.sh");
		assertThat(javaFlags(entrypoint, "aot_flags=\"(-XX:AOTCacheOutput[^\"]*)\""))
			.contains("-XX:AOTCacheOutput=app.aot", "-Dspring.context.exit=onRefresh", "-XX:TieredStopAtLevel=1");
		// C1 only for training: the running service keeps both compilers
		assertThat(javaFlags(entrypoint, "aot_flags=\"(-XX:AOTCache=[^\"]*)\"")).containsExactly("-XX:AOTCache=app.aot");
		assertThat(javaFlags(entrypoint, "memory_flags=\"([^\"]*)\"")).contains("-XX:+UseSerialGC", "-Xss512k")
			.anySatisfy((flag) -> assertThat(flag).startsWith("-XX:MaxRAMPercentage="))
			.noneSatisfy((flag) -> assertThat(flag).startsWith("-XX:TieredStopAtLevel"));
		// exec: java replaces the shell as PID 1, so SIGTERM reaches it and starts the drain
		assertThat(entrypoint).containsPattern(
				"(?m)^exec \"\\$java\" \\$memory_flags \\$aot_flags \\$\\{JAVA_OPTS:-} -jar voice-bridge\\.jar \"\\$@\"$");
		assertThat(dockerfile.last("STOPSIGNAL")).isEqualTo("SIGTERM");
	}

	@Test
	void dockerfileHealthcheckUsesTheScriptItCopies() {
		assertThat(DeployFiles.dockerfile().last("HEALTHCHECK")).endsWith("CMD [\"/app/healthcheck.sh\"]");
		assertThat(Files.isExecutable(DeployFiles.path("docker/healthcheck.sh"))).isTrue();
		assertThat(Files.isExecutable(DeployFiles.path("docker/entrypoint.sh"))).isTrue();
	}

	@Test
	void dockerignoreSendsOnlyWhatTheBuildCopies() {
		List<String> patterns = DeployFiles.read(".dockerignore")
			.lines()
			.map(String::strip)
			.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
			.toList();
		// everything is excluded first, so .env and target/ can never reach the daemon
		assertThat(patterns.get(0)).isEqualTo("*");
		Set<String> included = patterns.stream()
			.filter((pattern) -> pattern.startsWith("!"))
			.map((pattern) -> pattern.substring(1).replaceAll("/$", ""))
			.collect(Collectors.toSet());
		assertThat(included).doesNotContain(".env", "target", ".git");
		Set<String> copied = new HashSet<>();
		for (String copy : DeployFiles.dockerfile().all("COPY")) {
			if (!copy.startsWith("--from")) {
				List<String> parts = List.of(copy.split("\\s+"));
				parts.subList(0, parts.size() - 1).forEach((source) -> copied.add(source.split("/")[0]));
			}
		}
		assertThat(copied).isNotEmpty();
		assertThat(included).containsAll(copied);
	}

	// docker-compose.yml and .env.example

	@Test
	void composeUsesBridgeNetworkingAndPublishesTheContainerPort() {
		Map<String, Object> compose = DeployFiles.compose();
		Map<String, Object> service = DeployFiles.composeService();
		assertThat(service.get("network_mode")).as("network_mode").isIn(null, "bridge");
		Object networks = compose.get("networks");
		if (networks != null) {
			DeployFiles.map(networks).values().forEach((network) -> assertThat(
					(network != null) ? DeployFiles.map(network).get("driver") : null).isIn(null, "bridge"));
		}
		List<Object> ports = DeployFiles.list(service.get("ports"));
		assertThat(ports).singleElement().asString().endsWith(":" + this.port)
			.as("published on loopback only, behind the host's TLS proxy").startsWith("127.0.0.1:");
		assertThat(service.get("build")).isEqualTo(".");
		assertThat(service.get("stop_signal")).isEqualTo("SIGTERM");
		assertThat(DeployFiles.list(service.get("env_file")))
			.singleElement()
			.satisfies((envFile) -> assertThat(DeployFiles.map(envFile)).containsEntry("path", ".env"));
		assertThat(DeployFiles.read("docker-compose.yml")).contains("macvlan");
	}

	@Test
	void envExampleListsEveryVariableTheApplicationReadsAndNoSecret() {
		Map<String, String> example = DeployFiles.envExample();
		assertThat(example.keySet()).containsAll(EnvironmentVariables.all().keySet()).contains("PORT");
		example.forEach((name, value) -> {
			if (SECRETS.contains(name)) {
				assertThat(value).as(name).isEmpty();
			}
		});
	}

	@Test
	void deployFilesNameOnlyVariablesTheApplicationReads() {
		Set<String> read = new HashSet<>(EnvironmentVariables.all().keySet());
		read.add("PORT");
		Map<String, String> named = DeployFiles.environmentVariablesNamed();
		assertThat(named).isNotEmpty();
		named.forEach((name, where) -> assertThat(read).as("%s in %s", name, where).contains(name));
	}

	// fly.toml

	@Test
	void flyTomlIsValidAgainstTheFlySchema() {
		assertThat(flySchemaViolations(DeployFiles.flyToml())).isEmpty();
	}

	@Test
	void flySchemaCatchesAMistypedFlyToml() {
		ObjectNode broken = DeployFiles.flyToml().deepCopy();
		broken.put("kill_signal", "SIGTERMINATE");
		((ObjectNode) broken.get("http_service")).put("auto_stop_machines", false);
		((ObjectNode) broken.get("http_service")).put("internal_port", "8080");

		assertThat(flySchemaViolations(broken)).extracting((violation) -> violation.split(":")[0])
			.containsOnly("$.kill_signal", "$.http_service.auto_stop_machines", "$.http_service.internal_port");
	}

	@Test
	void flyTomlServesTheDefaultPortOverHttpsAndKeepsAMachineRunning() {
		JsonNode fly = DeployFiles.flyToml();
		JsonNode service = fly.path("http_service");
		assertThat(service.path("internal_port").asInt()).isEqualTo(this.port);
		assertThat(fly.path("env").path("PORT").asText()).isEqualTo(String.valueOf(this.port));
		assertThat(service.path("force_https").asBoolean()).isTrue();
		assertThat(service.path("min_machines_running").asInt()).isGreaterThanOrEqualTo(1);
		assertThat(service.path("auto_stop_machines").asText()).isEqualTo("off");
		assertThat(service.path("concurrency").path("type").asText()).isEqualTo("connections");
		assertThat(service.path("http_options").path("h2_backend").asBoolean(false))
			.as("h2_backend would stop WebSocket upgrades reaching the app over HTTP/1.1")
			.isFalse();
		assertThat(fly.path("kill_signal").asText()).isEqualTo("SIGTERM");
		assertThat(fly.path("build").path("dockerfile").asText()).isEqualTo("Dockerfile");
		assertThat(service.path("checks")).isNotEmpty();
	}

	// render.yaml: keys and types from Render's Blueprint YAML reference (render.com/docs/blueprint-spec)

	@Test
	void renderYamlUsesOnlyDocumentedKeysWithTheirTypes() {
		assertThat(DeployFiles.renderYaml()).containsOnlyKeys("services");
		Map<String, Object> service = DeployFiles.renderWebService();
		assertThat(service.keySet()).isSubsetOf("type", "name", "runtime", "plan", "region", "repo", "branch",
				"rootDir", "dockerfilePath", "dockerContext", "dockerCommand", "healthCheckPath", "envVars",
				"numInstances", "scaling", "autoDeployTrigger", "buildFilter", "preDeployCommand", "domains",
				"maxShutdownDelaySeconds", "disk", "previews");
		assertThat(service).containsEntry("type", "web").containsEntry("runtime", "docker");
		assertThat(service.get("name")).isInstanceOf(String.class);
		assertThat(service.get("dockerfilePath")).isEqualTo("./Dockerfile");
		assertThat(service.get("healthCheckPath")).asString().startsWith("/");
		// an integer number of seconds, 1 to 300
		assertThat(service.get("maxShutdownDelaySeconds")).isInstanceOf(Integer.class);
		assertThat((Integer) service.get("maxShutdownDelaySeconds")).isBetween(1, 300);
	}

	@Test
	void renderYamlSetsThePortAndAsksForSecretsWithoutValues() {
		List<Object> envVars = DeployFiles.list(DeployFiles.renderWebService().get("envVars"));
		Set<String> keys = new HashSet<>();
		for (Object item : envVars) {
			Map<String, Object> variable = DeployFiles.map(item);
			String key = (String) variable.get("key");
			keys.add(key);
			assertThat(variable.keySet()).as(key).isSubsetOf("key", "value", "sync", "generateValue", "fromService",
					"fromDatabase", "fromGroup");
			if (variable.containsKey("value")) {
				assertThat(variable.get("value")).as("%s: values are strings", key).isInstanceOf(String.class);
			}
			if (SECRETS.contains(key)) {
				assertThat(variable).as(key).doesNotContainKey("value").containsEntry("sync", false);
			}
		}
		assertThat(keys).contains("OPENAI_API_KEY", "TWILIO_AUTH_TOKEN");
		assertThat(envVars).anySatisfy((item) -> assertThat(DeployFiles.map(item)).containsEntry("key", "PORT")
			.containsEntry("value", String.valueOf(this.port)));
	}

	// railway.json: keys and types from Railway's Config as Code reference (docs.railway.com/config-as-code/reference)

	@Test
	void railwayJsonUsesOnlyDocumentedKeysWithTheirTypes() {
		JsonNode railway = DeployFiles.railwayJson();
		assertThat(fieldNames(railway)).isSubsetOf("$schema", "build", "deploy", "environments");
		assertThat(railway.path("$schema").asText()).isEqualTo("https://railway.com/railway.schema.json");
		JsonNode build = railway.path("build");
		assertThat(fieldNames(build)).isSubsetOf("builder", "dockerfilePath", "buildCommand", "watchPatterns",
				"railpackVersion");
		assertThat(build.path("builder").asText()).isEqualTo("DOCKERFILE");
		assertThat(DeployFiles.path(build.path("dockerfilePath").asText())).isRegularFile();
		JsonNode deploy = railway.path("deploy");
		assertThat(fieldNames(deploy)).isSubsetOf("startCommand", "preDeployCommand", "healthcheckPath",
				"healthcheckTimeout", "restartPolicyType", "restartPolicyMaxRetries", "cronSchedule", "numReplicas",
				"multiRegionConfig", "sleepApplication", "overlapSeconds", "drainingSeconds", "region", "runtime",
				"limitOverride");
		assertThat(deploy.path("healthcheckPath").isTextual()).isTrue();
		assertThat(deploy.path("healthcheckTimeout").isIntegralNumber()).isTrue();
		assertThat(deploy.path("restartPolicyType").asText()).isIn("ON_FAILURE", "ALWAYS", "NEVER");
		assertThat(deploy.path("restartPolicyMaxRetries").isIntegralNumber()).isTrue();
		assertThat(deploy.path("sleepApplication").isBoolean()).isTrue();
		assertThat(deploy.path("sleepApplication").asBoolean()).as("a sleeping app cannot answer Twilio in time")
			.isFalse();
		// Railway's parser rejects a string here ("Expected number, received string")
		assertThat(deploy.path("drainingSeconds").isIntegralNumber()).as("drainingSeconds is a JSON number").isTrue();
		assertThat(deploy.has("startCommand")).as("the image's ENTRYPOINT starts the service").isFalse();
	}

	// docs

	@Test
	void everyDeployGuideGivesTheTwilioConsoleSettings() {
		for (String platform : List.of("railway", "render", "fly", "docker")) {
			String guide = DeployFiles.read("docs/deploy/" + platform + ".md");
			assertThat(guide).as(platform)
				.contains("Phone Numbers > Manage > Active numbers")
				.contains("A call comes in")
				.contains("/twilio/voice")
				.contains("HTTP POST");
		}
	}

	private static List<String> flySchemaViolations(JsonNode fly) {
		try (InputStream in = DeployFilesTests.class.getResourceAsStream("/spec/deploy/fly.schema.json")) {
			JsonNode schemaNode = new ObjectMapper().readTree(in);
			// SchemaStore's editor hints, declared so that they are not reported as unknown keywords
			JsonMetaSchema draft7 = JsonMetaSchema.builder(JsonMetaSchema.getV7())
				.keywords(List.of(new NonValidationKeyword("deprecated"), new NonValidationKeyword("x-taplo"),
						new NonValidationKeyword("x-taplo-info")))
				.build();
			JsonSchema schema = JsonSchemaFactory
				.getInstance(SpecVersion.VersionFlag.V7, (builder) -> builder.metaSchema(draft7))
				.getSchema(schemaNode);
			return schema.validate(fly).stream().map(ValidationMessage::getMessage).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static List<String> javaFlags(String script, String assignment) {
		Matcher matcher = Pattern.compile(assignment).matcher(script);
		assertThat(matcher.find()).as("%s in docker/entrypoint.sh", assignment).isTrue();
		return List.of(matcher.group(1).split("\\s+"));
	}

	private static List<String> fieldNames(JsonNode node) {
		List<String> names = new ArrayList<>();
		node.fieldNames().forEachRemaining(names::add);
		return names;
	}

}

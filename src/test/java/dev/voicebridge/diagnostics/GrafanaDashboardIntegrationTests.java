package dev.voicebridge.diagnostics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.voicebridge.cli.CallCommand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ops/grafana/voice-bridge.json} is a dashboard Grafana can load, and every metric it
 * queries is one the service serves, once a call has gone through it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureMetrics
class GrafanaDashboardIntegrationTests {

	private static final Path DASHBOARD = Path.of("ops", "grafana", "voice-bridge.json");

	private static final Pattern METRIC = Pattern.compile("\\bvoicebridge_[a-z0-9_]+");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	private final OkHttpClient http = new OkHttpClient();

	@Test
	void everyMetricTheDashboardQueriesIsServed() throws IOException {
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		// one call first: the series a call brings (timers, frames) exist, as in production
		int exit = CallCommand.run(new String[] { base(), "--wait", "100ms" }, new PrintStream(output), Map.of());
		assertThat(exit).as(output.toString(StandardCharsets.UTF_8)).isZero();

		Set<String> queried = new TreeSet<>();
		for (String expression : expressions(dashboard())) {
			Matcher metric = METRIC.matcher(expression);
			while (metric.find()) {
				queried.add(metric.group());
			}
		}
		assertThat(queried).hasSizeGreaterThan(15);
		assertThat(served()).containsAll(queried);
	}

	@Test
	void everyPanelSaysWhatItShowsAndQueriesThePrometheusChosen() throws IOException {
		JsonNode dashboard = dashboard();
		assertThat(dashboard.path("uid").asString()).isEqualTo("voice-bridge");
		assertThat(dashboard.path("templating").path("list").path(0).path("type").asString()).isEqualTo("datasource");
		Set<Integer> ids = new HashSet<>();
		for (JsonNode panel : dashboard.path("panels")) {
			assertThat(ids.add(panel.path("id").asInt())).as("panel ids are unique").isTrue();
			JsonNode grid = panel.path("gridPos");
			assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(panel.path("title").asString())
				.isLessThanOrEqualTo(24);
			if ("row".equals(panel.path("type").asString())) {
				continue;
			}
			assertThat(panel.path("title").asString()).isNotBlank();
			assertThat(panel.path("description").asString()).as(panel.path("title").asString()).isNotBlank();
			assertThat(panel.path("datasource").path("uid").asString()).isEqualTo("${datasource}");
			assertThat(panel.path("targets")).as(panel.path("title").asString()).isNotEmpty();
			for (JsonNode target : panel.path("targets")) {
				assertThat(target.path("expr").asString()).isNotBlank();
				assertThat(target.path("datasource").path("uid").asString()).isEqualTo("${datasource}");
			}
		}
		assertThat(ids).hasSizeGreaterThan(10);
	}

	private static JsonNode dashboard() throws IOException {
		return JSON.readTree(Files.readString(DASHBOARD));
	}

	private static List<String> expressions(JsonNode dashboard) {
		return dashboard.path("panels").valueStream()
			.flatMap((panel) -> panel.path("targets").valueStream())
			.map((target) -> target.path("expr").asString())
			.toList();
	}

	/** The series names of a scrape: each sample line's name, up to its labels or value. */
	private Set<String> served() throws IOException {
		Set<String> names = new HashSet<>();
		try (Response response = this.http.newCall(new Request.Builder().url(base() + "/actuator/prometheus").build())
			.execute()) {
			assertThat(response.code()).isEqualTo(200);
			for (String line : response.body().string().split("\n")) {
				if (!line.isEmpty() && !line.startsWith("#")) {
					names.add(line.split("[{ ]", 2)[0]);
				}
			}
		}
		return names;
	}

	private String base() {
		return "http://localhost:" + this.port;
	}

}

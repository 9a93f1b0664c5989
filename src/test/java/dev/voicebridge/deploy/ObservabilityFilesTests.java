package dev.voicebridge.deploy;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docker compose --profile observability up}: Prometheus scrapes the service with the
 * alert rules loaded, and Grafana has Prometheus and the dashboard provisioned. Read statically,
 * since there is no Docker engine to run it here.
 */
class ObservabilityFilesTests {

	@Test
	void prometheusAndGrafanaStartOnlyWithTheObservabilityProfile() {
		for (String name : List.of("prometheus", "grafana")) {
			assertThat(DeployFiles.composeService(name).get("profiles")).as(name).isEqualTo(List.of("observability"));
			assertThat(String.valueOf(DeployFiles.composeService(name).get("image"))).as(name).matches(".+:v?\\d+\\.\\d+\\.\\d+");
		}
		assertThat(DeployFiles.composeService().get("profiles")).isNull();
	}

	@Test
	void everyFileTheProfileMountsIsInTheRepository() {
		for (String name : List.of("prometheus", "grafana")) {
			mounts(name).forEach((source, target) -> assertThat(DeployFiles.path(source)).as(name + " mounts " + source)
				.exists());
		}
	}

	@Test
	void prometheusScrapesTheServiceAndLoadsTheAlertRules() {
		Map<String, String> mounts = mounts("prometheus");
		assertThat(mounts).containsEntry("ops/prometheus/prometheus.yml", "/etc/prometheus/prometheus.yml");
		Map<String, Object> config = DeployFiles.yaml("ops/prometheus/prometheus.yml");
		for (Object rules : DeployFiles.list(config.get("rule_files"))) {
			// relative rule files are read beside the configuration file
			assertThat(mounts).containsValue("/etc/prometheus/" + rules);
		}
		assertThat(mounts).containsEntry("ops/prometheus/alerts.yml", "/etc/prometheus/alerts.yml");
		Map<String, Object> job = DeployFiles.map(DeployFiles.list(config.get("scrape_configs")).get(0));
		assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
		Object targets = DeployFiles.map(DeployFiles.list(job.get("static_configs")).get(0)).get("targets");
		assertThat(DeployFiles.list(targets)).containsExactly("voice-bridge:" + DeployFiles.defaultPort());
	}

	@Test
	void grafanaHasPrometheusAndTheDashboardProvisioned() {
		Map<String, String> mounts = mounts("grafana");
		assertThat(mounts).containsEntry("ops/grafana/provisioning", "/etc/grafana/provisioning");
		Map<String, Object> source = DeployFiles
			.map(DeployFiles.list(DeployFiles.yaml("ops/grafana/provisioning/datasources/prometheus.yml").get("datasources"))
				.get(0));
		assertThat(source.get("type")).isEqualTo("prometheus");
		assertThat(source.get("url")).isEqualTo("http://prometheus:9090");
		Map<String, Object> provider = DeployFiles
			.map(DeployFiles.list(DeployFiles.yaml("ops/grafana/provisioning/dashboards/voice-bridge.yml").get("providers"))
				.get(0));
		String folder = String.valueOf(DeployFiles.map(provider.get("options")).get("path"));
		assertThat(mounts).containsEntry("ops/grafana/voice-bridge.json", folder + "/voice-bridge.json");
		assertThat(Files.isDirectory(DeployFiles.path("ops/grafana/provisioning/dashboards"))).isTrue();
	}

	/** A service's bind mounts: the repository path (without {@code ./}) and where it appears. */
	private static Map<String, String> mounts(String service) {
		Map<String, String> mounts = new LinkedHashMap<>();
		for (Object volume : DeployFiles.list(DeployFiles.composeService(service).get("volumes"))) {
			String[] parts = String.valueOf(volume).split(":");
			assertThat(parts[0]).as("a bind mount of the repository").startsWith("./");
			mounts.put(parts[0].substring(2), parts[1]);
		}
		return mounts;
	}

}

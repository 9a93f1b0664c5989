package dev.voicebridge.deploy;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.voicebridge.config.BridgeProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cross-checks the deploy files with the running application: every health-check path they
 * give a platform is served, and every platform waits long enough after SIGTERM for calls to
 * drain.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureMetrics
class DeployFilesIntegrationTests {

	/** Time for Tomcat to stop and the JVM to exit once the last call has drained. */
	private static final Duration SHUTDOWN_MARGIN = Duration.ofSeconds(10);

	private final OkHttpClient http = new OkHttpClient();

	private final BridgeProperties properties;

	@LocalServerPort
	private int port;

	@Autowired
	DeployFilesIntegrationTests(BridgeProperties properties) {
		this.properties = properties;
	}

	@Test
	void everyHealthCheckPathInTheDeployFilesAnswers200() throws IOException {
		Map<String, String> paths = DeployFiles.healthPaths();
		assertThat(paths).hasSize(4);
		for (Map.Entry<String, String> path : paths.entrySet()) {
			assertThat(path.getValue()).as(path.getKey()).isEqualTo("/actuator/health/readiness");
			Request request = new Request.Builder().url("http://localhost:" + this.port + path.getValue()).build();
			try (Response response = this.http.newCall(request).execute()) {
				assertThat(response.code()).as("GET %s from %s", path.getValue(), path.getKey()).isEqualTo(200);
			}
		}
	}

	@Test
	void everyPlatformWaitsForCallsToDrainBeforeKilling() {
		Duration drain = this.properties.drainTimeout();
		Map<String, Duration> periods = DeployFiles.shutdownGracePeriods();
		assertThat(periods).hasSize(4);
		periods.forEach((where, period) -> assertThat(period).as(where)
			.isGreaterThanOrEqualTo(drain.plus(SHUTDOWN_MARGIN)));
	}

}

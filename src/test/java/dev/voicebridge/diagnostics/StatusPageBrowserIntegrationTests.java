package dev.voicebridge.diagnostics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import dev.voicebridge.testing.RequiresProgram;
import dev.voicebridge.testing.TestProgram;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /status} as a person sees it: rendered by a real headless Chromium, it shows the funnel
 * bars and the findings for a line whose proxy strips the upgrade.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
@RequiresProgram(TestProgram.CHROMIUM)
class StatusPageBrowserIntegrationTests {

	private final OkHttpClient http = new OkHttpClient();

	@LocalServerPort
	private int port;

	@TempDir
	Path profile;

	@Test
	void theRenderedPageShowsTheFunnelAndTheFindings() throws Exception {
		Path chromium = TestProgram.CHROMIUM.path();
		// a call whose upgrade lost its headers on the way, as behind a misconfigured proxy
		this.http.newCall(new Request.Builder().url(url("/twilio/voice"))
			.post(new FormBody.Builder().add("CallSid", "CAbrowser1").build())
			.build()).execute().close();
		try (Response response = this.http.newCall(new Request.Builder().url(url("/twilio-media")).build()).execute()) {
			assertThat(response.code()).isEqualTo(400);
		}

		String dom = render(chromium, url("/status"));

		assertThat(dom).contains("voice-bridge status")
			.contains("Requests reach /twilio-media without their Upgrade header")
			.contains("proxy_set_header Upgrade")
			.contains("data-stage=\"webhooks\"")
			.contains("data-stage=\"upgradeAttempts\"")
			.contains("Webhooks answered");
		assertThat(dom).containsPattern("id=\"upgrade-headers-stripped\"");
	}

	/** Loads the page in headless Chromium and returns the DOM after it rendered. */
	private String render(Path chromium, String url) throws IOException, InterruptedException {
		Path out = this.profile.resolve("dom.html");
		Process process = new ProcessBuilder(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--user-data-dir=" + this.profile.resolve("profile"), "--dump-dom", url))
			.redirectOutput(out.toFile())
			.redirectError(this.profile.resolve("chromium.log").toFile())
			.start();
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError("chromium did not finish within 60 s");
		}
		assertThat(process.exitValue()).as(Files.readString(this.profile.resolve("chromium.log"))).isZero();
		return Files.readString(out, StandardCharsets.UTF_8);
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

}

package dev.voicebridge.diagnostics;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

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
 * bars and the findings for a line whose proxy strips the upgrade. The same rendering is the
 * README's picture, {@code docs/images/status-page.png}: beside it, {@code status-page.txt} lists
 * the sections it shows, and a page whose sections changed fails here until the picture is
 * taken again ({@code -Dvoicebridge.docs.pictures=write}).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
@RequiresProgram(TestProgram.CHROMIUM)
class StatusPageBrowserIntegrationTests {

	private static final int WIDTH = 1100;

	private static final Path DOCS_PICTURE = Path.of("docs", "images", "status-page.png");

	private static final Path DOCS_SECTIONS = Path.of("docs", "images", "status-page.txt");

	private static final Pattern HEADING = Pattern.compile("<h[1-3][^>]*>(.*?)</h[1-3]>", Pattern.DOTALL);

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
			.contains("Webhooks answered")
			.contains("Upstream: none, the echo agent answers.");
		assertThat(dom).containsPattern("id=\"upgrade-headers-stripped\"");

		Path picture = Path.of("target", "status-page.png");
		screenshot(chromium, url("/status"), picture);
		BufferedImage image = ImageIO.read(picture.toFile());
		assertThat(image.getWidth()).isEqualTo(WIDTH);
		String sections = sections(dom);
		assertThat(sections).contains("voice-bridge status");
		if ("write".equals(System.getProperty("voicebridge.docs.pictures"))) {
			Files.copy(picture, DOCS_PICTURE, StandardCopyOption.REPLACE_EXISTING);
			Files.writeString(DOCS_SECTIONS, sections);
		}
		assertThat(DOCS_PICTURE).exists();
		assertThat(Files.readString(DOCS_SECTIONS))
			.as("the page's sections changed since %s was taken: take it again with "
					+ "./mvnw verify -Dtest=StatusPageBrowserIntegrationTests -Dvoicebridge.docs.pictures=write", DOCS_PICTURE)
			.isEqualTo(sections);
	}

	/** The page's headings, one a line: what the picture must still show. */
	private static String sections(String dom) {
		StringBuilder sections = new StringBuilder();
		Matcher heading = HEADING.matcher(dom);
		while (heading.find()) {
			sections.append(heading.group(1).replaceAll("<[^>]*>", "").replaceAll("\\s+", " ").strip()).append('\n');
		}
		return sections.toString();
	}

	private void screenshot(Path chromium, String url, Path picture) throws IOException, InterruptedException {
		Files.createDirectories(picture.toAbsolutePath().getParent());
		run(chromium, "--window-size=" + WIDTH + ",1000", "--hide-scrollbars",
				"--screenshot=" + picture.toAbsolutePath(), url);
		assertThat(picture).exists();
	}

	/** Loads the page in headless Chromium and returns the DOM after it rendered. */
	private String render(Path chromium, String url) throws IOException, InterruptedException {
		return run(chromium, "--dump-dom", url);
	}

	/** Runs headless Chromium with these arguments and answers what it printed. */
	private String run(Path chromium, String... arguments) throws IOException, InterruptedException {
		Path out = this.profile.resolve("out.txt");
		List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
				"--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
				"--disable-component-update", "--disable-sync", "--user-data-dir=" + this.profile.resolve("profile")));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
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

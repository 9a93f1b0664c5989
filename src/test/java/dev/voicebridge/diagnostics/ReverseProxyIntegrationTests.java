package dev.voicebridge.diagnostics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

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

import dev.voicebridge.testing.Audio;
import dev.voicebridge.testing.FakeTwilioCall;
import dev.voicebridge.testing.RequiresProgram;
import dev.voicebridge.testing.ReverseProxy;
import dev.voicebridge.testing.TestProgram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The failure this service exists for, with real proxies: the configs in {@code docs/proxy/}
 * carry a whole call; the same nginx config without its upgrade lines breaks it, and the status
 * page and the doctor both name the cause.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ReverseProxyIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final Pattern STREAM_URL = Pattern.compile("<Stream[^>]*\\burl=\"([^\"]*)\"");

	private final OkHttpClient http = new OkHttpClient();

	@LocalServerPort
	private int port;

	@TempDir
	Path directory;

	@Test
	@RequiresProgram(TestProgram.NGINX)
	void theShippedNginxConfigCarriesAWholeCall() throws Exception {
		try (ReverseProxy nginx = ReverseProxy.nginx(this.directory, this.port, UnaryOperator.identity())) {
			callThrough(nginx);
			assertThat(doctor(nginx)).contains("All local checks passed", "note: the echo agent answers calls");
		}
	}

	@Test
	@RequiresProgram(TestProgram.NGINX)
	void nginxWithoutItsUpgradeLinesBreaksTheCallAndBothToolsNameIt() throws Exception {
		UnaryOperator<String> stripUpgrade = (config) -> config.lines()
			.filter((line) -> !line.contains("proxy_set_header Upgrade") && !line.contains("proxy_set_header Connection"))
			.collect(Collectors.joining("\n"));
		try (ReverseProxy nginx = ReverseProxy.nginx(this.directory, this.port, stripUpgrade)) {
			String streamUrl = webhook(nginx);
			assertThatThrownBy(() -> FakeTwilioCall.connect(streamUrl, "MZstripped", "CAstripped"))
				.hasMessageContaining("code=400");
			String status = get(nginx.url() + "/websocket-status");
			assertThat(status).contains("\"id\":\"upgrade-headers-stripped\"");
			String report = doctor(nginx);
			assertThat(report).contains("[FAIL] upgrade", "[FAIL] app-saw-it", "without its Upgrade header",
					"upgrade headers stripped");
		}
	}

	@Test
	@RequiresProgram(TestProgram.HAPROXY)
	void theShippedHaproxyConfigCarriesAWholeCall() throws Exception {
		try (ReverseProxy haproxy = ReverseProxy.haproxy(this.directory, this.port, UnaryOperator.identity())) {
			callThrough(haproxy);
			assertThat(doctor(haproxy)).contains("All local checks passed");
		}
	}

	@Test
	@RequiresProgram(TestProgram.HAPROXY)
	void haproxyDroppingTheUpgradeHeaderIsNamedToo() throws Exception {
		UnaryOperator<String> dropUpgrade = (config) -> config.replaceFirst("(?m)^(backend .*)$",
				"$1\n    http-request del-header Upgrade");
		try (ReverseProxy haproxy = ReverseProxy.haproxy(this.directory, this.port, dropUpgrade)) {
			String report = doctor(haproxy);
			assertThat(report).contains("[FAIL] app-saw-it", "without its Upgrade header");
		}
	}

	/** Webhook, stream, audio both ways and stop, all through the proxy. */
	private void callThrough(ReverseProxy proxy) throws Exception {
		String streamUrl = webhook(proxy);
		assertThat(streamUrl).isEqualTo("ws://localhost:" + proxy.url().replaceAll(".*:", "") + "/twilio-media");
		FakeTwilioCall call = FakeTwilioCall.connect(streamUrl, "MZproxy" + System.nanoTime(), "CAproxy");
		call.start(Map.of());
		List<String> sent = IntStream.range(0, 20).mapToObj((i) -> Audio.frame(700 + i)).toList();
		sent.forEach(call::media);
		assertThat(call.mediaUntil(20 * 160, WAIT)).as(proxy.log()).containsExactlyElementsOf(sent);
		call.stop();
		assertThat(call.awaitClosed(WAIT)).isEqualTo(1000);
	}

	private String webhook(ReverseProxy proxy) throws IOException {
		Request request = new Request.Builder().url(proxy.url() + "/twilio/voice")
			.post(new FormBody.Builder().add("CallSid", "CAproxy").build())
			.build();
		try (Response response = this.http.newCall(request).execute()) {
			String twiml = response.body().string();
			assertThat(response.code()).as(twiml).isEqualTo(200);
			Matcher matcher = STREAM_URL.matcher(twiml);
			assertThat(matcher.find()).as(twiml).isTrue();
			return matcher.group(1);
		}
	}

	private String get(String url) throws IOException {
		try (Response response = this.http.newCall(new Request.Builder().url(url).build()).execute()) {
			return response.body().string();
		}
	}

	private static String doctor(ReverseProxy proxy) {
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		Doctor.run(new String[] { proxy.url(), "--local" }, new PrintStream(output, true, StandardCharsets.UTF_8), Map.of());
		return output.toString(StandardCharsets.UTF_8);
	}

}

package dev.voicebridge.web;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import dev.voicebridge.config.BridgeProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PublicUrls}.
 */
class PublicUrlsTests {

	@Test
	void streamUrlOfHttpsBaseIsWss() {
		assertThat(PublicUrls.streamUrl("https://x.example.com")).isEqualTo("wss://x.example.com/twilio-media");
	}

	@Test
	void streamUrlOfPlainHttpPublicBaseIsStillWss() {
		assertThat(PublicUrls.streamUrl("http://x.example.com")).isEqualTo("wss://x.example.com/twilio-media");
		assertThat(PublicUrls.streamUrl("http://10.0.0.5:8080")).isEqualTo("wss://10.0.0.5:8080/twilio-media");
	}

	@Test
	void streamUrlOfLoopbackHttpBaseIsWs() {
		assertThat(PublicUrls.streamUrl("http://localhost:8080")).isEqualTo("ws://localhost:8080/twilio-media");
		assertThat(PublicUrls.streamUrl("http://127.0.0.1:9")).isEqualTo("ws://127.0.0.1:9/twilio-media");
		assertThat(PublicUrls.streamUrl("http://[::1]:8080")).isEqualTo("ws://[::1]:8080/twilio-media");
	}

	@Test
	void streamUrlOfLoopbackHttpsBaseIsWss() {
		assertThat(PublicUrls.streamUrl("https://localhost:8443")).isEqualTo("wss://localhost:8443/twilio-media");
	}

	@Test
	void streamUrlKeepsThePathPrefix() {
		assertThat(PublicUrls.streamUrl("https://x.example.com/bridge"))
			.isEqualTo("wss://x.example.com/bridge/twilio-media");
	}

	@Test
	void streamUrlDropsQueryAndFragment() {
		assertThat(PublicUrls.streamUrl("https://x.example.com/bridge?a=b#top"))
			.isEqualTo("wss://x.example.com/bridge/twilio-media");
	}

	@Test
	void configuredBaseDropsTheQuery() {
		PublicUrls urls = new PublicUrls(properties(URI.create("https://x.example.com/?a=b")));

		assertThat(urls.isConfigured()).isTrue();
		assertThat(urls.configuredBase()).isEqualTo("https://x.example.com");
	}

	@Test
	void configuredBaseDropsTrailingSlashes() {
		assertThat(new PublicUrls(properties(URI.create("https://x.example.com/"))).configuredBase())
			.isEqualTo("https://x.example.com");
		assertThat(new PublicUrls(properties(URI.create("https://x.example.com/bridge/"))).configuredBase())
			.isEqualTo("https://x.example.com/bridge");
	}

	@Test
	void configuredBaseKeepsPortAndPathPrefix() {
		PublicUrls urls = new PublicUrls(properties(URI.create("https://x.example.com:8443/bridge?a=b#f")));

		assertThat(urls.configuredBase()).isEqualTo("https://x.example.com:8443/bridge");
		assertThat(PublicUrls.streamUrl(urls.configuredBase()))
			.isEqualTo("wss://x.example.com:8443/bridge/twilio-media");
	}

	@Test
	void withoutPublicUrlNothingIsConfigured() {
		PublicUrls urls = new PublicUrls(properties(null));

		assertThat(urls.isConfigured()).isFalse();
		assertThat(urls.configuredBase()).isNull();
	}

	private static BridgeProperties properties(URI publicUrl) {
		BridgeProperties.Media media = new BridgeProperties.Media(DataSize.ofKilobytes(64), Duration.ofSeconds(10),
				DataSize.ofMegabytes(1), Duration.ofSeconds(5));
		BridgeProperties.Fallback fallback = new BridgeProperties.Fallback("sorry", null);
		return new BridgeProperties(publicUrl, null, Duration.ofSeconds(30), fallback, media);
	}

}

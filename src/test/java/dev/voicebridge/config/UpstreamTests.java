package dev.voicebridge.config;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Azure OpenAI is recognised by its hosts: its key goes in {@code api-key}, its text API is on the
 * same resource, and its refusals are named with Azure's fix; an explicit {@code OPENAI_AUTH} wins.
 */
class UpstreamTests {

	@Test
	void anAzureHostTakesTheApiKeyHeaderAndItsTextApiIsOnTheSameResource() {
		Upstream upstream = openai("wss://contoso.openai.azure.com/openai/v1/realtime", null).upstream();
		assertThat(upstream.kind()).isEqualTo("azure");
		assertThat(upstream.authHeader()).isEqualTo("api-key");
		assertThat(upstream.authValue()).isEqualTo("the-key");
		assertThat(upstream.connectUri())
			.isEqualTo(URI.create("wss://contoso.openai.azure.com/openai/v1/realtime?model=my-deployment"));
		assertThat(upstream.chatCompletionsUrl()).isEqualTo("https://contoso.openai.azure.com/openai/v1/chat/completions");
		assertThat(openai("wss://contoso.cognitiveservices.azure.com/openai/v1/realtime", null).upstream().auth())
			.isEqualTo(Upstream.Auth.API_KEY);
		assertThat(upstream.describe()).isEqualTo("azure (contoso.openai.azure.com, api-key auth)");
		assertThat(upstream.toString()).doesNotContain("the-key");
	}

	@Test
	void openAiAndOtherHostsTakeABearerTokenUnlessTold() {
		Upstream openai = openai("wss://api.openai.com/v1/realtime", null).upstream();
		assertThat(openai.kind()).isEqualTo("openai");
		assertThat(openai.authHeader()).isEqualTo("Authorization");
		assertThat(openai.authValue()).isEqualTo("Bearer the-key");
		assertThat(openai.chatCompletionsUrl()).isEqualTo("https://api.openai.com/v1/chat/completions");
		assertThat(openai("ws://localhost:9000/v1/realtime", null).upstream().kind()).isEqualTo("custom");
		assertThat(openai("ws://localhost:9000/openai/v1/realtime", Upstream.Auth.API_KEY).upstream().authHeader())
			.isEqualTo("api-key");
		assertThat(openai("wss://contoso.openai.azure.com/openai/v1/realtime", Upstream.Auth.BEARER).upstream()
			.authValue()).as("an Entra token").isEqualTo("Bearer the-key");
	}

	@Test
	void aRefusalIsNamedWithTheFixOfItsUpstream() {
		Upstream openai = openai("wss://api.openai.com/v1/realtime", null).upstream();
		assertThat(openai.hint(401, "{\"error\":{\"code\":\"invalid_api_key\"}}")).isEqualTo(" (check OPENAI_API_KEY)");
		Upstream azure = openai("wss://contoso.openai.azure.com/openai/v1/realtime", null).upstream();
		assertThat(azure.hint(401, null)).isEqualTo(" (check the Azure key and deployment)");
		assertThat(azure.hint(404, "{\"error\":{\"code\":\"DeploymentNotFound\"}}")).contains("deployment name in OPENAI_MODEL");
		Upstream proxied = openai("wss://gateway.example.com/v1/realtime", null).upstream();
		assertThat(proxied.hint(401, "{\"error\":{\"code\":\"401\",\"message\":\"Access denied due to invalid subscription key"
				+ " or wrong API endpoint.\"}}")).as("Azure's error shape behind a gateway")
			.isEqualTo(" (check the Azure key and deployment)");
	}

	private static OpenAiProperties openai(String realtimeUrl, Upstream.Auth auth) {
		return new OpenAiProperties("the-key", URI.create(realtimeUrl), "my-deployment", "marin",
				OpenAiProperties.TurnDetection.SERVER_VAD, null, Duration.ofSeconds(10), Duration.ofSeconds(15),
				Duration.ofMinutes(55), null, "gpt-4.1-mini", auth);
	}

}

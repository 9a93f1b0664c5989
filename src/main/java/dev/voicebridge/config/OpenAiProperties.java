package dev.voicebridge.config;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The OpenAI Realtime upstream. Without an API key the service runs the echo agent.
 *
 * @param apiKey {@code OPENAI_API_KEY}; never logged
 * @param realtimeUrl {@code OPENAI_REALTIME_URL}, {@code ws://} or {@code wss://}; {@code ?model=} is appended
 * @param model {@code OPENAI_MODEL}
 * @param voice {@code OPENAI_VOICE}
 * @param turnDetection {@code OPENAI_TURN_DETECTION}
 * @param transcriptionModel {@code OPENAI_TRANSCRIPTION_MODEL}; caller speech is transcribed when set
 * @param connectTimeout how long the upstream handshake and the session's configuration (until
 * {@code session.updated}) may take before the call falls back
 * @param responseTimeout {@code OPENAI_RESPONSE_TIMEOUT}, how long a response in progress may go
 * without any upstream event before the agent counts as failed
 * @param sessionRenewAfter when a call's Realtime session is replaced by a fresh one, re-seeded with
 * the conversation so far, ahead of OpenAI's 60-minute session limit
 * @param apiBaseUrl {@code OPENAI_API_BASE_URL}, where traditional mode finds {@code /chat/completions}
 * @param textModel {@code OPENAI_TEXT_MODEL}, the Chat Completions model of traditional mode
 * @param auth {@code OPENAI_AUTH}: {@code bearer} or {@code api-key}; inferred from the host when unset
 * (Azure OpenAI's hosts take {@code api-key})
 */
@Validated
@ConfigurationProperties("voicebridge.openai")
public record OpenAiProperties(String apiKey,
		@NotNull @DefaultValue("wss://api.openai.com/v1/realtime") URI realtimeUrl,
		@NotBlank @DefaultValue("gpt-realtime") String model, @NotBlank @DefaultValue("marin") String voice,
		@NotNull @DefaultValue("server-vad") TurnDetection turnDetection, String transcriptionModel,
		@NotNull @DefaultValue("10s") Duration connectTimeout,
		@NotNull @DefaultValue("15s") Duration responseTimeout,
		@NotNull @DefaultValue("55m") Duration sessionRenewAfter,
		URI apiBaseUrl, @NotBlank @DefaultValue(DEFAULT_TEXT_MODEL) String textModel, Upstream.Auth auth) {

	/** Fast, non-reasoning and served by Chat Completions: short turns matter more than depth on a phone. */
	static final String DEFAULT_TEXT_MODEL = "gpt-4.1-mini";

	static final URI OPENAI_API_BASE = URI.create("https://api.openai.com/v1");

	public OpenAiProperties {
		apiKey = Blank.toNull(apiKey);
		if (apiBaseUrl == null) {
			// an Azure Realtime URL names the resource: its text API is on the same host
			apiBaseUrl = (realtimeUrl != null && Upstream.isAzure(realtimeUrl))
					? URI.create("https://" + realtimeUrl.getHost() + "/openai/v1") : OPENAI_API_BASE;
		}
		transcriptionModel = Blank.toNull(transcriptionModel);
		if (realtimeUrl != null && !"ws".equals(realtimeUrl.getScheme()) && !"wss".equals(realtimeUrl.getScheme())) {
			throw new InvalidSettingException("voicebridge.openai.realtime-url",
					"must start with wss:// (or ws:// for a local mock), was " + Secrets.withoutUserInfo(realtimeUrl.toString()));
		}
		if (realtimeUrl != null && Upstream.transportProblem(realtimeUrl, "ws") != null) {
			throw new InvalidSettingException("voicebridge.openai.realtime-url", Upstream.transportProblem(realtimeUrl, "ws"));
		}
		if (realtimeUrl != null && realtimeUrl.getRawQuery() != null) {
			throw new InvalidSettingException("voicebridge.openai.realtime-url",
					"must not carry a query; the model is set with OPENAI_MODEL");
		}
		if (apiBaseUrl != null && !"http".equals(apiBaseUrl.getScheme()) && !"https".equals(apiBaseUrl.getScheme())) {
			throw new InvalidSettingException("voicebridge.openai.api-base-url",
					"must start with https:// (or http:// for a local mock), was " + Secrets.withoutUserInfo(apiBaseUrl.toString()));
		}
		if (apiBaseUrl != null && Upstream.transportProblem(apiBaseUrl, "http") != null) {
			throw new InvalidSettingException("voicebridge.openai.api-base-url", Upstream.transportProblem(apiBaseUrl, "http"));
		}
	}

	/** The Chat Completions endpoint of traditional mode. */
	public String chatCompletionsUrl() {
		return upstream().chatCompletionsUrl();
	}

	/** Whether calls go to OpenAI rather than the echo agent. */
	public boolean enabled() {
		return this.apiKey != null;
	}

	/** Where the upstream WebSocket connects: the Realtime URL with {@code ?model=}. */
	public URI connectUri() {
		return upstream().connectUri();
	}

	/** The upstream of the environment's settings, with its auth inferred from the host when not set. */
	public Upstream upstream() {
		Upstream.Auth realtimeAuth = (this.auth != null) ? this.auth : Upstream.Auth.inferredFor(this.realtimeUrl);
		return new Upstream(this.realtimeUrl, this.model, this.apiKey, realtimeAuth, this.apiBaseUrl, this.textModel);
	}

	@Override
	public String toString() {
		return "OpenAiProperties[apiKey=" + (this.apiKey == null ? "unset" : "****") + ", realtimeUrl=" + Secrets.withoutUserInfo(String.valueOf(this.realtimeUrl))
				+ ", model=" + this.model + ", voice=" + this.voice + ", turnDetection=" + this.turnDetection.wireName()
				+ ", transcriptionModel=" + this.transcriptionModel + ", connectTimeout=" + this.connectTimeout + ", responseTimeout=" + this.responseTimeout
				+ ", sessionRenewAfter=" + this.sessionRenewAfter + ", apiBaseUrl=" + Secrets.withoutUserInfo(String.valueOf(this.apiBaseUrl)) + ", textModel="
				+ this.textModel + ", auth=" + ((this.auth != null) ? this.auth.wireName() : "inferred") + "]";
	}

	/** OpenAI's turn detection modes, spelled on the wire as {@code server_vad} and {@code semantic_vad}. */
	public enum TurnDetection {

		SERVER_VAD, SEMANTIC_VAD;

		public String wireName() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}

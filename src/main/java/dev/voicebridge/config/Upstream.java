package dev.voicebridge.config;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a call's agent runs: OpenAI itself, Azure OpenAI, or another compatible endpoint, for
 * the Realtime socket and for traditional mode's Chat Completions. The key is never printed.
 *
 * @param realtimeUrl the Realtime base URL; {@code ?model=} is appended
 * @param model the Realtime model, or on Azure the deployment
 * @param apiKey the key, or null (the echo agent)
 * @param auth how the key is sent
 * @param apiBaseUrl where {@code /chat/completions} is found
 * @param textModel traditional mode's model, or on Azure its deployment
 */
public record Upstream(URI realtimeUrl, String model, String apiKey, Auth auth, URI apiBaseUrl, String textModel) {

	/** How the key travels: {@code Authorization: Bearer} (OpenAI, Entra tokens) or Azure's {@code api-key}. */
	public enum Auth {

		BEARER, API_KEY;

		public String wireName() {
			return name().toLowerCase(Locale.ROOT).replace('_', '-');
		}

		/** Azure's key header for its own hosts, a bearer token elsewhere. */
		static Auth inferredFor(URI url) {
			return isAzure(url) ? API_KEY : BEARER;
		}

	}

	/** Azure OpenAI's resource hosts. */
	public static boolean isAzure(URI url) {
		String host = (url != null && url.getHost() != null) ? url.getHost().toLowerCase(Locale.ROOT) : "";
		return host.endsWith(".openai.azure.com") || host.endsWith(".cognitiveservices.azure.com");
	}

	/**
	 * Whether a host is this machine's own: the only place a cleartext upstream ({@code ws://},
	 * {@code http://}) may go, since the key would cross the network readable.
	 */
	public static boolean isLoopback(URI url) {
		String host = (url.getHost() != null) ? url.getHost().toLowerCase(Locale.ROOT) : "";
		return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
	}

	/** What is wrong with an upstream URL's transport, or null: user info, or cleartext off loopback. */
	public static String transportProblem(URI url, String cleartext) {
		if (url.getRawUserInfo() != null) {
			return "must not carry user info (credentials in a URL end up in logs); the key is OPENAI_API_KEY";
		}
		if (cleartext.equals(url.getScheme()) && !isLoopback(url)) {
			return "sends the key in cleartext with " + cleartext + ":// to " + url.getHost()
					+ "; use " + cleartext + "s:// (" + cleartext + ":// only to a local mock on localhost)";
		}
		return null;
	}

	/** {@code openai}, {@code azure} or {@code custom}: what the start-up log and status pages name. */
	public String kind() {
		if (isAzure(this.realtimeUrl)) {
			return "azure";
		}
		return "api.openai.com".equalsIgnoreCase(this.realtimeUrl.getHost()) ? "openai" : "custom";
	}

	public String host() {
		return this.realtimeUrl.getHost();
	}

	/** The upstream in a few words, without the key: {@code azure (contoso.openai.azure.com, api-key)}. */
	public String describe() {
		return kind() + " (" + host() + ", " + this.auth.wireName() + " auth)";
	}

	/** Where the Realtime socket connects: the URL with {@code ?model=}. */
	public URI connectUri() {
		return URI.create(this.realtimeUrl + "?model=" + URLEncoder.encode(this.model, StandardCharsets.UTF_8));
	}

	/** The Chat Completions endpoint of traditional mode. */
	public String chatCompletionsUrl() {
		String base = this.apiBaseUrl.toString();
		return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/chat/completions";
	}

	/** The header that carries the key. */
	public String authHeader() {
		return (this.auth == Auth.API_KEY) ? "api-key" : "Authorization";
	}

	/** The header's value. */
	public String authValue() {
		return (this.auth == Auth.API_KEY) ? this.apiKey : "Bearer " + this.apiKey;
	}

	/** Whether a socket opened for {@code other} serves this upstream's Realtime calls too. */
	public boolean sameRealtimeEndpoint(Upstream other) {
		return this.realtimeUrl.equals(other.realtimeUrl) && this.model.equals(other.model)
				&& Objects.equals(this.apiKey, other.apiKey) && this.auth == other.auth;
	}

	/**
	 * What a refused connect or request most likely needs, by HTTP status and, where there is
	 * one, the error body: Azure's ({@code "Access denied due to invalid subscription key or wrong
	 * API endpoint"}, {@code DeploymentNotFound}) is told from OpenAI's by its words.
	 */
	public String hint(int status, String body) {
		String text = (body != null) ? body : "";
		boolean azure = "azure".equals(kind()) || this.auth == Auth.API_KEY || text.contains("subscription key")
				|| text.contains("DeploymentNotFound");
		return switch (status) {
			case 401 -> azure ? " (check the Azure key and deployment)" : " (check OPENAI_API_KEY)";
			case 403 -> azure ? " (check the Azure key and deployment, and the resource's network rules)"
					: " (the key's project may lack Realtime access)";
			case 404 -> azure ? " (check the Azure deployment name in OPENAI_MODEL and the resource in the URL)"
					: " (check OPENAI_REALTIME_URL and OPENAI_MODEL)";
			case 429 -> " (rate limited or out of quota)";
			default -> "";
		};
	}

	@Override
	public String toString() {
		return "Upstream[" + describe() + ", realtimeUrl=" + Secrets.withoutUserInfo(String.valueOf(this.realtimeUrl)) + ", model=" + this.model + ", apiKey="
				+ ((this.apiKey == null) ? "unset" : "****") + ", apiBaseUrl=" + this.apiBaseUrl + ", textModel="
				+ this.textModel + "]";
	}

}

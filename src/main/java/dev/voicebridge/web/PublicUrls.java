package dev.voicebridge.web;

import java.net.URI;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

import dev.voicebridge.config.BridgeProperties;

/**
 * The URLs Twilio must use to reach this instance. From {@code PUBLIC_URL} when set, otherwise
 * from the request as the edge saw it: the twilio package's TrustedProxyFilter applies {@code X-Forwarded-Proto}
 * and {@code X-Forwarded-Host} from trusted (loopback and private) proxies before we look.
 */
@Component
public class PublicUrls {

	private final String configuredBase;

	public PublicUrls(BridgeProperties properties) {
		this.configuredBase = (properties.publicUrl() != null) ? normalise(properties.publicUrl()) : null;
	}

	/** Whether {@code PUBLIC_URL} is set (otherwise every request derives its own). */
	public boolean isConfigured() {
		return this.configuredBase != null;
	}

	/** The configured public base URL, or null when it is derived per request. */
	public String configuredBase() {
		return this.configuredBase;
	}

	/** Scheme, host, port and any path prefix, without a trailing slash or a query. */
	public String base(ServerHttpRequest request) {
		if (this.configuredBase != null) {
			return this.configuredBase;
		}
		return UriComponentsBuilder.fromUri(request.getURI())
			.replacePath(request.getPath().contextPath().value())
			.replaceQuery(null)
			.fragment(null)
			.build()
			.toUriString();
	}

	/** A public URL for one of our paths. */
	public String url(ServerHttpRequest request, String path) {
		return base(request) + path;
	}

	/**
	 * The Stream URL for a base: its {@code wss://} twin with no query string, as Twilio
	 * requires. Plain {@code ws://} only for a loopback host, where there is no TLS to have.
	 */
	public static String streamUrl(String base) {
		URI uri = URI.create(base);
		boolean local = "http".equals(uri.getScheme()) && isLoopback(uri.getHost());
		return UriComponentsBuilder.fromUri(uri)
			.scheme(local ? "ws" : "wss")
			.replaceQuery(null)
			.fragment(null)
			.path(TwilioRoutes.MEDIA)
			.build()
			.toUriString();
	}

	/** The Stream URL Twilio is told to open for a request. */
	public String streamUrl(ServerHttpRequest request) {
		return streamUrl(base(request));
	}

	static boolean isLoopback(String host) {
		return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")
				|| host.equals("::1"));
	}

	private static String normalise(URI uri) {
		String text = UriComponentsBuilder.fromUri(uri).replaceQuery(null).fragment(null).build().toUriString();
		while (text.endsWith("/")) {
			text = text.substring(0, text.length() - 1);
		}
		return text;
	}

}

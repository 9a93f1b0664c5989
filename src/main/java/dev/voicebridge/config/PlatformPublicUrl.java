package dev.voicebridge.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.core.env.MapPropertySource;

/**
 * The public URL a hosting platform announces in its own environment, used when
 * {@code PUBLIC_URL} is unset: Railway's {@code RAILWAY_PUBLIC_DOMAIN}, Render's
 * {@code RENDER_EXTERNAL_URL} and Fly.io's {@code FLY_APP_NAME}.
 *
 * @param variable the platform variable the URL came from
 * @param url the public base URL: https, a host, no path, query or trailing slash
 */
record PlatformPublicUrl(String variable, String url) {

	static final String RAILWAY = "RAILWAY_PUBLIC_DOMAIN";

	static final String RENDER = "RENDER_EXTERNAL_URL";

	static final String FLY = "FLY_APP_NAME";

	/** The platform variables, in the order they are tried. */
	static final List<String> VARIABLES = List.of(RAILWAY, RENDER, FLY);

	static final String SOURCE_NAME = "voicebridgePlatformPublicUrl";

	// Fly app names: lowercase letters, digits and dashes (they become a DNS label)
	private static final Pattern FLY_APP_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

	/**
	 * The first platform variable that yields a usable https URL. A variable whose value is
	 * not usable is reported to {@code warnings} and skipped rather than failing start-up,
	 * since the per-request fallback still works.
	 */
	static Optional<PlatformPublicUrl> detect(Map<String, ?> environment, Consumer<String> warnings) {
		for (String variable : VARIABLES) {
			String value = (environment.get(variable) instanceof String text) ? Blank.toNull(text) : null;
			if (value == null) {
				continue;
			}
			String url = switch (variable) {
				case RAILWAY -> httpsUrl("https://" + value);
				case RENDER -> httpsUrl(value);
				default -> FLY_APP_NAME.matcher(value).matches() ? "https://" + value + ".fly.dev" : null;
			};
			if (url != null) {
				return Optional.of(new PlatformPublicUrl(variable, url));
			}
			warnings.accept("[Config] ignoring " + variable + "=\"" + value + "\": it does not make an https URL"
					+ " with a host and nothing after it; set PUBLIC_URL instead");
		}
		return Optional.empty();
	}

	/** The URL without a trailing slash when it is https with a host and no path, query or fragment. */
	private static String httpsUrl(String text) {
		String trimmed = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
		try {
			URI uri = new URI(trimmed);
			boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
					&& uri.getRawFragment() == null && uri.getRawUserInfo() == null;
			if ("https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null && bare) {
				return "https://" + uri.getRawAuthority().toLowerCase(Locale.ROOT);
			}
		}
		catch (URISyntaxException ex) {
			// not a URL: reported by the caller
		}
		return null;
	}

	/** A property source that sets {@code voicebridge.public-url} and names the variable as its origin. */
	Source propertySource() {
		return new Source(this);
	}

	static final class Source extends MapPropertySource implements OriginLookup<String> {

		private final String variable;

		Source(PlatformPublicUrl platform) {
			super(SOURCE_NAME, Map.of(EnvironmentVariables.all().get("PUBLIC_URL"), platform.url()));
			this.variable = platform.variable();
		}

		String variable() {
			return this.variable;
		}

		@Override
		public Origin getOrigin(String property) {
			return containsProperty(property) ? new EnvironmentVariablesPostProcessor.VariableOrigin(this.variable)
					: null;
		}

	}

}

package dev.voicebridge.config;

import java.util.regex.Pattern;

/** Text about settings that may hold a secret, made safe to log. */
public final class Secrets {

	private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029]");

	private Secrets() {
	}

	/**
	 * A URL with everything between {@code ://} and its last {@code @} replaced by {@code ****}
	 * ({@code redis://****@host:6379}): a password that holds {@code @} or {@code /} unescaped is
	 * covered too, since a host never holds {@code @}.
	 */
	public static String withoutUserInfo(String url) {
		if (url == null) {
			return null;
		}
		int scheme = url.indexOf("://");
		int at = url.lastIndexOf('@');
		return (scheme >= 0 && at > scheme) ? url.substring(0, scheme + 3) + "****" + url.substring(at) : url;
	}

	/**
	 * Untrusted text for a log line: control characters (an encoded CR or LF would forge a line)
	 * become {@code ?}, and it is cut at {@code max} characters.
	 */
	public static String forLog(String text, int max) {
		if (text == null) {
			return null;
		}
		String clipped = (text.length() > max) ? text.substring(0, max) + "...(" + text.length() + " chars)" : text;
		return CONTROL.matcher(clipped).replaceAll("?");
	}

}

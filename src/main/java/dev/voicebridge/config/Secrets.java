package dev.voicebridge.config;

import java.util.regex.Pattern;

/** Text about settings that may hold a secret, made safe to log. */
public final class Secrets {

	private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029]");

	private static final Pattern QUERY_VALUE = Pattern.compile("=[^&#]*");

	private Secrets() {
	}

	/**
	 * A URL as logs and errors may show it: everything between {@code ://} and its last {@code @}
	 * replaced by {@code ****} ({@code redis://****@host:6379}), so that a password holding
	 * {@code @} or {@code /} unescaped is covered too (a host never holds {@code @}), and the
	 * query's values replaced too ({@code ?api-key=****}), since some services take a key there.
	 */
	public static String withoutUserInfo(String url) {
		if (url == null) {
			return null;
		}
		int scheme = url.indexOf("://");
		int at = url.lastIndexOf('@');
		String masked = (scheme >= 0 && at > scheme) ? url.substring(0, scheme + 3) + "****" + url.substring(at) : url;
		int query = masked.indexOf('?');
		return (query < 0) ? masked
				: masked.substring(0, query + 1) + QUERY_VALUE.matcher(masked.substring(query + 1)).replaceAll("=****");
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

	/** Phone numbers are personal data: logs keep only the last four digits. */
	public static String maskedNumber(String number) {
		if (number == null || number.length() <= 4) {
			return number;
		}
		return "*".repeat(number.length() - 4) + number.substring(number.length() - 4);
	}

}

package dev.voicebridge.agent;

import java.util.regex.Pattern;

/** A keypad entry as the model reads it, in both modes. */
public final class Keypad {

	private static final Pattern ENTRY = Pattern.compile("[0-9*#A-D]{1,32}");

	private static final String PREFIX = "The caller pressed ";

	private Keypad() {
	}

	public static boolean isEntry(String digits) {
		return digits != null && ENTRY.matcher(digits).matches();
	}

	/** {@code The caller pressed 1 2 3 on the phone's keypad.} */
	public static String message(String digits) {
		StringBuilder text = new StringBuilder(PREFIX);
		for (int i = 0; i < digits.length(); i++) {
			text.append((i > 0) ? " " : "").append(digits.charAt(i));
		}
		return text.append(" on the phone's keypad.").toString();
	}

	/** Whether a caller message is a keypad entry (a record then shows no digits). */
	public static boolean isMessage(String text) {
		return text.startsWith(PREFIX) && text.endsWith(" on the phone's keypad.");
	}

}

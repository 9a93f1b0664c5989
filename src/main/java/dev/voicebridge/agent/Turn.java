package dev.voicebridge.agent;

/**
 * One turn of a call's transcript. {@code speaker} is {@code caller}, {@code agent} or
 * {@code keypad} (its text is then {@code (keypad entry)}, never the digits); an agent turn the
 * caller cut off holds only the words that were played ({@code cutOff}).
 */
public record Turn(String speaker, String text, boolean cutOff) {

	public static final String KEYPAD_ENTRY = "(keypad entry)";

}

package dev.voicebridge.testing;

import java.util.List;
import java.util.SplittableRandom;
import java.util.StringJoiner;

/**
 * Text frames a peer might send on a media stream, for generated tests: any text at all,
 * JSON shaped like Twilio's messages, and real Twilio messages damaged on the way.
 */
public final class TwilioFrames {

	/** Real messages of one call, in Twilio's shapes: numbers as strings, 20 ms of audio ending in "==". */
	public static final List<String> REAL = List.of("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}",
			"{\"event\":\"start\",\"sequenceNumber\":\"1\",\"start\":{\"accountSid\":\"AC123\",\"streamSid\":\"MZ1\","
					+ "\"callSid\":\"CA1\",\"tracks\":[\"inbound\"],\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\","
					+ "\"sampleRate\":8000,\"channels\":1},\"customParameters\":{\"businessId\":\"b1\"}},\"streamSid\":\"MZ1\"}",
			"{\"event\":\"media\",\"sequenceNumber\":\"2\",\"media\":{\"track\":\"inbound\",\"chunk\":\"1\",\"timestamp\":\"5\","
					+ "\"payload\":\"" + Audio.frame(7) + "\"},\"streamSid\":\"MZ1\"}",
			"{\"event\":\"mark\",\"sequenceNumber\":\"3\",\"streamSid\":\"MZ1\",\"mark\":{\"name\":\"1\"}}",
			"{\"event\":\"dtmf\",\"streamSid\":\"MZ1\",\"sequenceNumber\":\"4\",\"dtmf\":{\"track\":\"inbound_track\",\"digit\":\"1\"}}",
			"{\"event\":\"stop\",\"sequenceNumber\":\"5\",\"streamSid\":\"MZ1\",\"stop\":{\"accountSid\":\"AC123\",\"callSid\":\"CA1\"}}");

	private static final String[] KEYS = { "event", "streamSid", "sequenceNumber", "media", "start", "mark", "stop",
			"dtmf", "payload", "track", "name", "customParameters", "mediaFormat", "callSid", "x" };

	private static final String[] EVENTS = { "connected", "start", "media", "mark", "stop", "dtmf", "clear", "unknown",
			"" };

	private static final String[] LITERALS = { "null", "true", "false", "[]", "{}" };

	private static final String BASE64ISH = "ABCDEFabcdef0123456789+/=";

	private static final String JSON_SYNTAX = "{}[]\":,\\ \t\r\n-+.0eE";

	/** Characters parsers and terminals trip on: DEL, C1 controls, NBSP, line separators, BOM, non-characters. */
	private static final char[] AWKWARD = { 0x7F, 0x80, 0x85, 0x9F, 0xA0, 0x2028, 0x2029, 0xFEFF, 0xFFFD, 0xFFFE,
			0xFFFF };

	/** The kinds of character {@link #anyText} draws from; see {@code appendChar}. */
	private static final int KINDS = 7;

	private static final int[] EDGE_INTEGERS = { 0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 8000, 65535 };

	private TwilioFrames() {
	}

	/**
	 * Any text, from empty to a few hundred UTF-16 units: ASCII, control characters, JSON syntax,
	 * unpaired surrogates, valid pairs, and any other char. Some strings keep to one kind.
	 */
	public static String anyText(SplittableRandom random) {
		int length = switch (random.nextInt(8)) {
			case 0 -> 0;
			case 1, 2, 3 -> random.nextInt(1, 9);
			case 4, 5, 6 -> random.nextInt(9, 65);
			default -> random.nextInt(65, 400);
		};
		int onlyKind = random.nextBoolean() ? random.nextInt(KINDS) : -1;
		StringBuilder text = new StringBuilder(length + 1);
		while (text.length() < length) {
			appendChar(text, (onlyKind >= 0) ? onlyKind : random.nextInt(KINDS), random);
		}
		return text.toString();
	}

	private static void appendChar(StringBuilder text, int kind, SplittableRandom random) {
		switch (kind) {
			case 0 -> text.append((char) random.nextInt(0x20));
			case 1 -> text.append((char) random.nextInt(0x20, 0x7F));
			case 2 -> text.append(JSON_SYNTAX.charAt(random.nextInt(JSON_SYNTAX.length())));
			case 3 -> text.append((char) random.nextInt(Character.MIN_SURROGATE, Character.MAX_SURROGATE + 1));
			case 4 -> text.appendCodePoint(random.nextInt(Character.MIN_SUPPLEMENTARY_CODE_POINT,
					Character.MAX_CODE_POINT + 1));
			case 5 -> text.append(AWKWARD[random.nextInt(AWKWARD.length)]);
			default -> text.append((char) random.nextInt(Character.MAX_VALUE + 1));
		}
	}

	/**
	 * A JSON value shaped like Twilio's messages: objects nested up to three deep with Twilio's
	 * keys (three in four values are objects of up to five members), event names, short strings,
	 * base64-ish strings, integers, null, booleans and empty containers.
	 */
	public static String twilioLikeJson(SplittableRandom random) {
		return value(random, 3);
	}

	private static String value(SplittableRandom random, int depth) {
		if (depth == 0 || random.nextInt(4) == 0) {
			return scalar(random);
		}
		StringJoiner object = new StringJoiner(",", "{", "}");
		int members = random.nextInt(6);
		for (int i = 0; i < members; i++) {
			object.add("\"" + KEYS[random.nextInt(KEYS.length)] + "\":" + value(random, depth - 1));
		}
		return object.toString();
	}

	private static String scalar(SplittableRandom random) {
		return switch (random.nextInt(5)) {
			case 0 -> "\"" + EVENTS[random.nextInt(EVENTS.length)] + "\"";
			case 1 -> "\"" + chars(random, '!', '~', 12).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
			case 2 -> "\"" + chars(random, BASE64ISH, 24) + "\"";
			case 3 -> String.valueOf(integer(random));
			default -> LITERALS[random.nextInt(LITERALS.length)];
		};
	}

	/**
	 * One of {@link #REAL} damaged: cut short, one character replaced, one removed or added, or
	 * several replaced (in the payload, a replacement may keep it base64 or break it).
	 */
	public static String damagedTwilioMessage(SplittableRandom random) {
		StringBuilder message = new StringBuilder(REAL.get(random.nextInt(REAL.size())));
		switch (random.nextInt(5)) {
			case 0 -> message.setLength(random.nextInt(message.length()));
			case 1 -> message.setCharAt(random.nextInt(message.length()), replacement(random));
			case 2 -> message.deleteCharAt(random.nextInt(message.length()));
			case 3 -> message.insert(random.nextInt(message.length() + 1), replacement(random));
			default -> {
				for (int i = random.nextInt(2, 6); i > 0; i--) {
					message.setCharAt(random.nextInt(message.length()), replacement(random));
				}
			}
		}
		return message.toString();
	}

	private static char replacement(SplittableRandom random) {
		return switch (random.nextInt(3)) {
			case 0 -> BASE64ISH.charAt(random.nextInt(BASE64ISH.length()));
			case 1 -> JSON_SYNTAX.charAt(random.nextInt(JSON_SYNTAX.length()));
			default -> {
				StringBuilder one = new StringBuilder(2);
				appendChar(one, random.nextInt(KINDS), random);
				yield one.charAt(0);
			}
		};
	}

	private static String chars(SplittableRandom random, char first, char last, int maxLength) {
		StringBuilder text = new StringBuilder();
		for (int i = random.nextInt(maxLength + 1); i > 0; i--) {
			text.append((char) random.nextInt(first, last + 1));
		}
		return text.toString();
	}

	private static String chars(SplittableRandom random, String alphabet, int maxLength) {
		StringBuilder text = new StringBuilder();
		for (int i = random.nextInt(maxLength + 1); i > 0; i--) {
			text.append(alphabet.charAt(random.nextInt(alphabet.length())));
		}
		return text.toString();
	}

	private static int integer(SplittableRandom random) {
		return switch (random.nextInt(4)) {
			case 0 -> EDGE_INTEGERS[random.nextInt(EDGE_INTEGERS.length)];
			case 1 -> random.nextInt(-100, 101);
			default -> random.nextInt();
		};
	}

}

package dev.voicebridge.agent.realtime;

/**
 * The most frequent server event, {@code response.output_audio.delta}, read from its text
 * without building a JSON parser (several a second per call, each a parser, its contexts and
 * buffers). It accepts only the plain shape OpenAI sends: one object whose members are strings
 * without escapes or non-ASCII, or integers. Anything else it answers null for, and
 * {@link RealtimeEvents} reads it with Jackson; where it answers, it answers what Jackson's
 * reading would (a property test holds it to that).
 */
final class DeltaScanner {

	static final String DELTA_TYPE = "response.output_audio.delta";

	private final String text;

	private final int end;

	private int at;

	private String type;

	private String responseId;

	private String itemId;

	private String delta;

	private String transcript;

	private String callId;

	private String name;

	private DeltaScanner(String text) {
		this.text = text;
		this.end = text.length();
	}

	/** An audio delta, or null to leave the event to the parser. */
	static RealtimeEvents.ServerEvent scan(String text) {
		DeltaScanner scanner = new DeltaScanner(text);
		if (!scanner.object() || scanner.skipSpace() != scanner.end || !DELTA_TYPE.equals(scanner.type)) {
			return null;
		}
		return new RealtimeEvents.ServerEvent(scanner.type, scanner.responseId, scanner.itemId, scanner.delta,
				scanner.transcript, null, null, null, null, scanner.callId, scanner.name, null);
	}

	private boolean object() {
		if (skipSpace() >= this.end || this.text.charAt(this.at) != '{') {
			return false;
		}
		this.at++;
		if (skipSpace() < this.end && this.text.charAt(this.at) == '}') {
			this.at++;
			return true;
		}
		while (true) {
			int nameStart = string();
			if (nameStart < 0) {
				return false;
			}
			int nameEnd = this.at - 1;
			if (skipSpace() >= this.end || this.text.charAt(this.at) != ':') {
				return false;
			}
			this.at++;
			if (skipSpace() >= this.end) {
				return false;
			}
			boolean read = (this.text.charAt(this.at) == '"') ? member(nameStart, nameEnd) : integer(nameStart, nameEnd);
			if (!read || skipSpace() >= this.end) {
				return false;
			}
			char next = this.text.charAt(this.at++);
			if (next == '}') {
				return true;
			}
			if (next != ',') {
				return false;
			}
		}
	}

	/** A string member; the last of a repeated name wins, as with the parser. */
	private boolean member(int nameStart, int nameEnd) {
		int valueStart = string();
		if (valueStart < 0) {
			return false;
		}
		String value = null;
		switch (this.text.substring(nameStart, nameEnd)) {
			case "type" -> this.type = value = value(valueStart);
			case "response_id" -> this.responseId = value = value(valueStart);
			case "item_id" -> this.itemId = value = value(valueStart);
			case "delta" -> this.delta = value = value(valueStart);
			case "transcript" -> this.transcript = value = value(valueStart);
			case "call_id" -> this.callId = value = value(valueStart);
			case "name" -> this.name = value = value(valueStart);
			// event_id and whatever OpenAI adds: not read
			default -> value = "";
		}
		return value != null;
	}

	/** An integer member ({@code output_index}); one the relay reads as text goes to the parser. */
	private boolean integer(int nameStart, int nameEnd) {
		switch (this.text.substring(nameStart, nameEnd)) {
			case "type", "response_id", "item_id", "delta", "transcript", "call_id", "name", "response", "error" -> {
				return false;
			}
			default -> {
			}
		}
		int start = this.at;
		if (this.at < this.end && this.text.charAt(this.at) == '-') {
			this.at++;
		}
		int digits = this.at;
		while (this.at < this.end && this.text.charAt(this.at) >= '0' && this.text.charAt(this.at) <= '9') {
			this.at++;
		}
		int count = this.at - digits;
		// JSON allows no leading zeros
		return count > 0 && !(count > 1 && this.text.charAt(digits) == '0') && this.at - start <= 18;
	}

	private String value(int start) {
		return this.text.substring(start, this.at - 1);
	}

	/** A string without escapes, control characters or non-ASCII; where its content starts, or -1. */
	private int string() {
		if (skipSpace() >= this.end || this.text.charAt(this.at) != '"') {
			return -1;
		}
		int start = ++this.at;
		while (this.at < this.end) {
			char c = this.text.charAt(this.at++);
			if (c == '"') {
				return start;
			}
			if (c == '\\' || c < 0x20 || c > 0x7E) {
				return -1;
			}
		}
		return -1;
	}

	private int skipSpace() {
		while (this.at < this.end) {
			char c = this.text.charAt(this.at);
			if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
				break;
			}
			this.at++;
		}
		return this.at;
	}

}

package dev.voicebridge.media;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

import org.springframework.core.io.buffer.DataBuffer;

import dev.voicebridge.agent.Base64Audio;
import dev.voicebridge.call.LineEvent;

/**
 * Reads Twilio's Media Streams JSON and writes the three messages we may send back:
 * {@code media}, {@code mark} and {@code clear}. Audio payloads cross unchanged: they are
 * checked to be base64 (so they can be copied into JSON without escaping) but never decoded.
 */
public final class TwilioMessageCodec {

	private static final JsonFactory JSON = new JsonFactory();

	private TwilioMessageCodec() {
	}

	/** The largest frame whose bytes are read into the thread's reused array. */
	private static final int SCRATCH_LIMIT = 64 * 1024;

	private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[1024]);

	/**
	 * Decodes one text frame as the socket delivered it, UTF-8 in a (pooled, direct) buffer: its
	 * bytes are copied once, into an array this thread reuses, and read there; a plain
	 * {@code media} message by {@link MediaScanner}, anything else by Jackson. Never throws.
	 */
	public static LineEvent decode(DataBuffer frame) {
		int length = frame.readableByteCount();
		byte[] bytes = SCRATCH.get();
		if (bytes.length < length) {
			bytes = new byte[Math.max(length, bytes.length * 2)];
			if (bytes.length <= SCRATCH_LIMIT) {
				SCRATCH.set(bytes);
			}
		}
		frame.read(bytes, 0, length);
		LineEvent.Media media = MediaScanner.scan(bytes, length);
		if (media != null) {
			return media;
		}
		try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), bytes, 0, length)) {
			return decode(parser);
		}
		catch (JacksonException ex) {
			return new LineEvent.Invalid("malformed JSON");
		}
	}

	/** Decodes one text frame; never throws. */
	public static LineEvent decode(String text) {
		try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), text)) {
			return decode(parser);
		}
		catch (JacksonException ex) {
			return new LineEvent.Invalid("malformed JSON");
		}
	}

	private static LineEvent decode(JsonParser parser) {
		if (parser.nextToken() != JsonToken.START_OBJECT) {
			return new LineEvent.Invalid("not a JSON object");
		}
		LineEvent event = readEnvelope(parser);
		if (parser.nextToken() != null) {
			return new LineEvent.Invalid("trailing content after the JSON object");
		}
		return event;
	}

	private static LineEvent readEnvelope(JsonParser parser) {
		String event = null;
		String streamSid = null;
		String protocol = null;
		String version = null;
		Fields body = null;
		Map<String, String> customParameters = Map.of();
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			switch (name) {
				case "event" -> event = text(parser, value);
				case "streamSid" -> streamSid = text(parser, value);
				case "protocol" -> protocol = text(parser, value);
				case "version" -> version = text(parser, value);
				case "media", "start", "mark", "dtmf", "stop" -> {
					if (value == JsonToken.START_OBJECT) {
						Fields fields = new Fields();
						customParameters = readBody(parser, fields);
						body = fields;
					}
					else {
						parser.skipChildren();
					}
				}
				default -> parser.skipChildren();
			}
		}
		if (event == null) {
			return new LineEvent.Invalid("no event field");
		}
		Fields fields = (body != null) ? body : new Fields();
		return switch (event) {
			case "media" -> media(streamSid, fields);
			case "start" -> start(streamSid, fields, customParameters);
			case "connected" -> new LineEvent.Connected(protocol, version);
			case "mark" -> (fields.name != null) ? new LineEvent.Mark(streamSid, fields.name)
					: new LineEvent.Invalid("mark without a name");
			case "dtmf" -> new LineEvent.Dtmf(streamSid, fields.digit);
			case "stop" -> new LineEvent.Stop(streamSid, fields.callSid);
			default -> new LineEvent.Unknown(event);
		};
	}

	private static LineEvent media(String streamSid, Fields fields) {
		if (fields.payload == null) {
			return new LineEvent.Invalid("media without a payload");
		}
		if (!Base64Audio.isWellFormed(fields.payload)) {
			return new LineEvent.Invalid("media payload is not base64");
		}
		return new LineEvent.Media(streamSid, (fields.track != null) ? fields.track : "inbound", fields.payload);
	}

	private static LineEvent start(String streamSid, Fields fields, Map<String, String> customParameters) {
		String sid = (streamSid != null) ? streamSid : fields.streamSid;
		if (sid == null || sid.isEmpty()) {
			return new LineEvent.Invalid("start without a streamSid");
		}
		return new LineEvent.Start(sid, fields.callSid, fields.accountSid, customParameters, fields.encoding,
				fields.sampleRate, fields.channels);
	}

	/** Reads the event's body object; returns its custom parameters when it has any. */
	private static Map<String, String> readBody(JsonParser parser, Fields fields) {
		Map<String, String> customParameters = Map.of();
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			switch (name) {
				case "payload" -> fields.payload = text(parser, value);
				case "track" -> fields.track = text(parser, value);
				case "name" -> fields.name = text(parser, value);
				case "digit" -> fields.digit = text(parser, value);
				case "streamSid" -> fields.streamSid = text(parser, value);
				case "callSid" -> fields.callSid = text(parser, value);
				case "accountSid" -> fields.accountSid = text(parser, value);
				case "mediaFormat" -> readMediaFormat(parser, value, fields);
				case "customParameters" -> customParameters = readStringMap(parser, value);
				default -> parser.skipChildren();
			}
		}
		return customParameters;
	}

	private static void readMediaFormat(JsonParser parser, JsonToken token, Fields fields) {
		forEachField(parser, token, (name, value) -> {
			switch (name) {
				case "encoding" -> fields.encoding = text(parser, value);
				case "sampleRate" -> fields.sampleRate = number(parser, value);
				case "channels" -> fields.channels = number(parser, value);
				default -> parser.skipChildren();
			}
		});
	}

	private static Map<String, String> readStringMap(JsonParser parser, JsonToken token) {
		Map<String, String> map = new LinkedHashMap<>();
		forEachField(parser, token, (name, value) -> {
			String text = text(parser, value);
			if (text != null) {
				map.put(name, text);
			}
		});
		return Map.copyOf(map);
	}

	/** Calls back for each field of an object value; skips any other value. */
	private static void forEachField(JsonParser parser, JsonToken token,
			BiConsumer<String, JsonToken> field) {
		if (token != JsonToken.START_OBJECT) {
			parser.skipChildren();
			return;
		}
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			field.accept(name, parser.nextToken());
		}
	}

	/** A scalar as text (Twilio sends numbers as strings); null for objects, arrays and null. */
	private static String text(JsonParser parser, JsonToken token) {
		if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
			parser.skipChildren();
			return null;
		}
		return (token == JsonToken.VALUE_NULL) ? null : parser.getString();
	}

	private static int number(JsonParser parser, JsonToken token) {
		String value = text(parser, token);
		try {
			return (value != null) ? Integer.parseInt(value.strip()) : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	/** Fields of an event body; plain mutable holder, local to one decode. */
	private static final class Fields {

		String payload;

		String track;

		String name;

		String digit;

		String streamSid;

		String callSid;

		String accountSid;

		String encoding;

		int sampleRate;

		int channels;

	}

	/** What follows the value of a {@code media} or {@code mark} message: {@code "}}}. */
	static final byte[] VALUE_SUFFIX = { '"', '}', '}' };

	/** {@code {"event":"media","streamSid":...,"media":{"payload":...}}} for one agent audio chunk. */
	public static String media(String streamSidJson, String payload) {
		return mediaPrefix(streamSidJson) + payload + "\"}}";
	}

	/** A {@code media} message up to its payload. */
	static String mediaPrefix(String streamSidJson) {
		return "{\"event\":\"media\",\"streamSid\":" + streamSidJson + ",\"media\":{\"payload\":\"";
	}

	/** {@code {"event":"mark","streamSid":...,"mark":{"name":...}}}. */
	public static String mark(String streamSidJson, String name) {
		return markPrefix(streamSidJson) + name + "\"}}";
	}

	/** A {@code mark} message up to its name. */
	static String markPrefix(String streamSidJson) {
		return "{\"event\":\"mark\",\"streamSid\":" + streamSidJson + ",\"mark\":{\"name\":\"";
	}

	/** {@code {"event":"clear","streamSid":...}}: Twilio drops the agent audio it has not yet played. */
	public static String clear(String streamSidJson) {
		return "{\"event\":\"clear\",\"streamSid\":" + streamSidJson + "}";
	}

	/** A JSON string literal for a value, quoted and escaped, so it can be spliced into messages. */
	public static String jsonString(String value) {
		StringBuilder out = new StringBuilder(value.length() + 2).append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		return out.append('"').toString();
	}

}

package dev.voicebridge.agent.realtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

import dev.voicebridge.agent.Keypad;
import dev.voicebridge.agent.TokenUsage;
import dev.voicebridge.profiles.CallProfile;

/**
 * The OpenAI Realtime GA events we send, and the fields we read from the ones we receive.
 * The per-frame append is built by hand around the caller's payload, which is never decoded.
 */
final class RealtimeEvents {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final JsonFactory FACTORY = new JsonFactory();

	private static final String APPEND_PREFIX = "{\"type\":\"input_audio_buffer.append\",\"audio\":\"";

	private RealtimeEvents() {
	}

	/** Configures the session: GA shape, mu-law both ways, voice, instructions, turn detection. */
	static String sessionUpdate(CallProfile profile) {
		return sessionUpdate(profile, profile.instructions());
	}

	/**
	 * Configures a fresh session that continues a call: the same settings, with the conversation
	 * so far appended to the instructions.
	 */
	static String continuedSessionUpdate(CallProfile profile, String conversation) {
		return sessionUpdate(profile, profile.instructions() + "\n\nThis phone call is already in progress; continue it "
				+ "naturally without greeting the caller again. The conversation so far:\n" + conversation);
	}

	private static String sessionUpdate(CallProfile profile, String instructions) {
		Map<String, Object> input = new LinkedHashMap<>();
		input.put("format", Map.of("type", "audio/pcmu"));
		input.put("turn_detection", Map.of("type", profile.turnDetection().wireName()));
		if (profile.transcriptionModel() != null) {
			input.put("transcription", Map.of("model", profile.transcriptionModel()));
		}
		Map<String, Object> output = new LinkedHashMap<>();
		output.put("format", Map.of("type", "audio/pcmu"));
		output.put("voice", profile.voice());
		Map<String, Object> session = new LinkedHashMap<>();
		session.put("type", "realtime");
		session.put("output_modalities", List.of("audio"));
		session.put("instructions", instructions);
		session.put("audio", Map.of("input", input, "output", output));
		session.put("tools", tools(profile));
		session.put("tool_choice", "auto");
		return write(Map.of("type", "session.update", "session", session));
	}

	/** The call-control tools: always {@code end_call}; {@code transfer_call} when a number is set. */
	private static List<Object> tools(CallProfile profile) {
		List<Object> tools = new ArrayList<>();
		tools.add(function(END_CALL, "End the phone call when the conversation is over or the caller asks to hang up. "
				+ "Afterwards, say one short goodbye; the line closes once it has been heard."));
		if (profile.transferNumber() != null) {
			tools.add(function(TRANSFER_CALL, "Transfer the caller to a person when they ask for one or you cannot help. "
					+ "Afterwards, tell the caller in one short sentence that you are transferring them."));
		}
		return tools;
	}

	static final String END_CALL = "end_call";

	static final String TRANSFER_CALL = "transfer_call";

	private static Map<String, Object> function(String name, String description) {
		Map<String, Object> tool = new LinkedHashMap<>();
		tool.put("type", "function");
		tool.put("name", name);
		tool.put("description", description);
		tool.put("parameters", Map.of("type", "object", "properties",
				Map.of("reason", Map.of("type", "string", "description", "Why, in a few words.")), "required", List.of()));
		return tool;
	}

	/** The result of a tool call, as a conversation item the model reads. */
	static String functionOutput(String callId, String output) {
		Map<String, Object> item = new LinkedHashMap<>();
		item.put("type", "function_call_output");
		item.put("call_id", callId);
		item.put("output", output);
		return write(Map.of("type", "conversation.item.create", "item", item));
	}

	/** Asks the model to respond (after a tool's output). */
	static String responseCreate() {
		return "{\"type\":\"response.create\"}";
	}

	/** Caller audio: the base64 payload spliced in unchanged (it was checked to be base64). */
	static String append(String payload) {
		return APPEND_PREFIX + payload + "\"}";
	}

	/** Asks the agent to speak first, saying the configured greeting. */
	static String greeting(String greeting) {
		return write(Map.of("type", "response.create", "response",
				Map.of("instructions", "Greet the caller by saying exactly this, then listen: " + greeting)));
	}

	/**
	 * What the caller typed on the keypad, as a user message the model reads like words
	 * ({@code conversation.item.create} with {@code input_text}).
	 */
	static String keypad(String digits) {
		Map<String, Object> content = new LinkedHashMap<>();
		content.put("type", "input_text");
		content.put("text", Keypad.message(digits));
		Map<String, Object> item = new LinkedHashMap<>();
		item.put("type", "message");
		item.put("role", "user");
		item.put("content", List.of(content));
		return write(Map.of("type", "conversation.item.create", "item", item));
	}

	/** Asks the agent to end the call with these words. */
	static String goodbye(String goodbye) {
		return write(Map.of("type", "response.create", "response",
				Map.of("instructions", "The call has reached its time limit. Say exactly this, then stop: " + goodbye,
						"tool_choice", "none")));
	}

	/** Tells the server how much of an assistant item the caller heard. */
	static String truncate(String itemId, long audioEndMs) {
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("type", "conversation.item.truncate");
		event.put("item_id", itemId);
		event.put("content_index", 0);
		event.put("audio_end_ms", audioEndMs);
		return write(event);
	}

	/** Cancels the response in progress. */
	static String cancel(String responseId) {
		return write(Map.of("type", "response.cancel", "response_id", responseId));
	}

	private static String write(Object event) {
		return JSON.writeValueAsString(event);
	}

	/**
	 * Reads the fields the relay uses; unknown fields and large objects are skipped. An audio
	 * delta of the plain shape is read by {@link DeltaScanner}, anything else by Jackson.
	 */
	static ServerEvent read(String text) {
		ServerEvent delta = DeltaScanner.scan(text);
		return (delta != null) ? delta : parse(text);
	}

	/** {@link #read} with Jackson alone. */
	static ServerEvent parse(String text) {
		try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), text)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return ServerEvent.UNREADABLE;
			}
			ServerEvent.Builder event = new ServerEvent.Builder();
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				switch (name) {
					case "type" -> event.type = scalar(parser, value);
					case "response_id" -> event.responseId = scalar(parser, value);
					case "item_id" -> event.itemId = scalar(parser, value);
					case "delta" -> event.delta = scalar(parser, value);
					case "transcript" -> event.transcript = scalar(parser, value);
					case "call_id" -> event.callId = scalar(parser, value);
					case "name" -> event.name = scalar(parser, value);
					case "response" -> readResponse(parser, value, event);
					case "error" -> readError(parser, value, event);
					default -> parser.skipChildren();
				}
			}
			return event.build();
		}
		catch (JacksonException ex) {
			return ServerEvent.UNREADABLE;
		}
	}

	private static void readResponse(JsonParser parser, JsonToken token, ServerEvent.Builder event) {
		forEachField(parser, token, (name, value) -> {
			switch (name) {
				case "id" -> event.responseId = scalar(parser, value);
				case "status" -> event.status = scalar(parser, value);
				case "usage" -> event.usage = readUsage(parser, value);
				default -> parser.skipChildren();
			}
		});
	}

	/**
	 * {@code response.usage}: {@code input_token_details} (text, audio, and the cached share of
	 * each in {@code cached_tokens_details}) and {@code output_token_details} (text, audio).
	 */
	private static TokenUsage readUsage(JsonParser parser, JsonToken token) {
		long[] figures = new long[7];
		forEachField(parser, token, (name, value) -> {
			switch (name) {
				case "input_token_details" -> forEachField(parser, value, (detail, figure) -> {
					switch (detail) {
						case "text_tokens" -> figures[0] = number(parser, figure);
						case "audio_tokens" -> figures[1] = number(parser, figure);
						case "cached_tokens" -> figures[6] = number(parser, figure);
						case "cached_tokens_details" -> forEachField(parser, figure, (cached, part) -> {
							switch (cached) {
								case "text_tokens" -> figures[2] = number(parser, part);
								case "audio_tokens" -> figures[3] = number(parser, part);
								default -> parser.skipChildren();
							}
						});
						default -> parser.skipChildren();
					}
				});
				case "output_token_details" -> forEachField(parser, value, (detail, figure) -> {
					switch (detail) {
						case "text_tokens" -> figures[4] = number(parser, figure);
						case "audio_tokens" -> figures[5] = number(parser, figure);
						default -> parser.skipChildren();
					}
				});
				default -> parser.skipChildren();
			}
		});
		long cachedText = (figures[2] == 0 && figures[3] == 0) ? figures[6] : figures[2];
		return TokenUsage.of(figures[0], figures[1], cachedText, figures[3], figures[4], figures[5]);
	}

	private static long number(JsonParser parser, JsonToken token) {
		if (token == JsonToken.VALUE_NUMBER_INT) {
			return Math.max(0, parser.getLongValue());
		}
		parser.skipChildren();
		return 0;
	}

	private static void readError(JsonParser parser, JsonToken token, ServerEvent.Builder event) {
		forEachField(parser, token, (name, value) -> {
			switch (name) {
				case "type" -> event.errorType = scalar(parser, value);
				case "code" -> event.errorCode = scalar(parser, value);
				case "message" -> event.errorMessage = scalar(parser, value);
				default -> parser.skipChildren();
			}
		});
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

	private static String scalar(JsonParser parser, JsonToken token) {
		if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
			parser.skipChildren();
			return null;
		}
		return (token == JsonToken.VALUE_NULL) ? null : parser.getString();
	}

	/**
	 * The fields of a server event the relay looks at. {@code responseId} comes from
	 * {@code response_id} or, for {@code response.*} lifecycle events, {@code response.id}.
	 */
	record ServerEvent(String type, String responseId, String itemId, String delta, String transcript,
			String status, String errorType, String errorCode, String errorMessage, String callId, String name,
			TokenUsage usage) {

		static final ServerEvent UNREADABLE = new ServerEvent("", null, null, null, null, null, null, null, null, null,
				null, null);

		static final class Builder {

			String type;

			String responseId;

			String itemId;

			String delta;

			String transcript;

			String status;

			String errorType;

			String errorCode;

			String errorMessage;

			String callId;

			String name;

			TokenUsage usage;

			ServerEvent build() {
				return new ServerEvent((this.type != null) ? this.type : "", this.responseId, this.itemId, this.delta,
						this.transcript, this.status, this.errorType, this.errorCode, this.errorMessage, this.callId,
						this.name, this.usage);
			}

		}

	}

}

package dev.voicebridge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.AnnotationKeyword;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * OpenAI's published Realtime event schema (a copy in {@code src/test/resources/spec}, see its
 * PROVENANCE.md). Validates a client event against {@code RealtimeClientEvent} and against the
 * specific schema its {@code type} names.
 */
public final class RealtimeEventSchema {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final ObjectNode ROOT = load();

	private static final JsonSchemaFactory FACTORY = factory();

	private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

	private RealtimeEventSchema() {
	}

	/** Problems with a client event; empty when it is valid. */
	public static List<String> clientEventViolations(String event) {
		JsonNode node;
		try {
			node = JSON.readTree(event);
		}
		catch (IOException ex) {
			return List.of("not JSON: " + ex.getMessage());
		}
		String type = node.path("type").asText("");
		String definition = clientDefinitionFor(type);
		if (definition == null) {
			return List.of("no client event in the schema has type '" + type + "'");
		}
		var messages = new java.util.ArrayList<String>();
		for (String name : List.of("RealtimeClientEvent", definition)) {
			for (ValidationMessage message : schema(name).validate(node)) {
				messages.add(name + ": " + message.getMessage());
			}
		}
		return messages;
	}

	/** The {@code $defs} name of the client event with this {@code type}, or null. */
	public static String clientDefinitionFor(String type) {
		Iterator<Map.Entry<String, JsonNode>> definitions = ROOT.get("$defs").fields();
		while (definitions.hasNext()) {
			Map.Entry<String, JsonNode> entry = definitions.next();
			if (entry.getKey().startsWith("RealtimeClientEvent") && !entry.getKey().equals("RealtimeClientEvent")) {
				for (JsonNode value : entry.getValue().path("properties").path("type").path("enum")) {
					if (value.asText().equals(type)) {
						return entry.getKey();
					}
				}
			}
		}
		return null;
	}

	private static JsonSchema schema(String definition) {
		return SCHEMAS.computeIfAbsent(definition, (name) -> {
			ObjectNode root = ROOT.deepCopy();
			root.put("$ref", "#/$defs/" + name);
			return FACTORY.getSchema(root);
		});
	}

	/**
	 * Draft 2020-12, reading OpenAI's own keywords ({@code x-oaiMeta}, {@code discriminator}, ...)
	 * as annotations, as the validator's default does, without its warning for each one.
	 */
	private static JsonSchemaFactory factory() {
		JsonMetaSchema metaSchema = JsonMetaSchema.builder(JsonMetaSchema.getV202012())
			.unknownKeywordFactory((keyword, context) -> new AnnotationKeyword(keyword))
			.build();
		return JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012))
			.metaSchema(metaSchema)
			.build();
	}

	private static ObjectNode load() {
		try (InputStream in = RealtimeEventSchema.class.getResourceAsStream("/spec/openai-realtime-events.schema.json")) {
			return (ObjectNode) JSON.readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}

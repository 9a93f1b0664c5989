package dev.voicebridge.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/** The call record's JSON Schema as the repository documents it ({@code docs/call-event.schema.json}). */
final class CallRecordSchema {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final JsonSchema SCHEMA = load();

	private CallRecordSchema() {
	}

	/**
	 * The ways a record, as JSON text, breaks the schema. The validator reads Jackson 2's tree
	 * (its own dependency), so the record comes as text rather than as the tests' Jackson 3 node.
	 */
	static List<String> violations(String record) {
		try {
			return SCHEMA.validate(JSON.readTree(record)).stream().map(ValidationMessage::getMessage).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static JsonSchema load() {
		try {
			JsonNode schema = JSON.readTree(Files.readString(Path.of("docs/call-event.schema.json")));
			SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
			return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema, config);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}

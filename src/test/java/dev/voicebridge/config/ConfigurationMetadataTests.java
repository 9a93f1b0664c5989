package dev.voicebridge.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metadata {@code spring-boot-configuration-processor} writes at compile time, which IDEs
 * show when a {@code voicebridge.*} property is typed: every property has its description and,
 * where it has one, its default.
 */
class ConfigurationMetadataTests {

	@Test
	void everyPropertyHasADescription() throws IOException {
		Map<String, JsonNode> properties = properties();
		assertThat(properties).hasSizeGreaterThan(50);
		properties.forEach((name, property) -> assertThat(property.path("description").asString(""))
			.as(name).isNotBlank());
	}

	@Test
	void everyEnvironmentVariablesPropertyIsDescribed() throws IOException {
		Map<String, JsonNode> properties = properties();
		EnvironmentVariables.all().forEach((variable, property) -> {
			if (property.startsWith("voicebridge.")) {
				assertThat(properties).as(variable).containsKey(property);
			}
		});
	}

	@Test
	void defaultsAreTheOnesTheRecordsDeclare() throws IOException {
		Map<String, JsonNode> properties = properties();
		assertThat(properties.get("voicebridge.limits.websocket-connections").path("defaultValue").asInt()).isEqualTo(500);
		assertThat(properties.get("voicebridge.twilio.validate-signatures").path("defaultValue").asBoolean()).isTrue();
		assertThat(properties.get("voicebridge.drain-timeout").path("defaultValue").asString()).isEqualTo("30s");
	}

	private static Map<String, JsonNode> properties() throws IOException {
		try (InputStream in = ConfigurationMetadataTests.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("written by spring-boot-configuration-processor at compile time").isNotNull();
			Map<String, JsonNode> properties = new LinkedHashMap<>();
			for (JsonNode property : JsonMapper.shared().readTree(in).path("properties")) {
				String name = property.path("name").asString();
				if (name.startsWith("voicebridge.")) {
					properties.put(name, property);
				}
			}
			return properties;
		}
	}

}

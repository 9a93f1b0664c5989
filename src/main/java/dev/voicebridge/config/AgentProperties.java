package dev.voicebridge.config;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What the agent is told and whether it speaks first.
 *
 * @param instructions system instructions ({@code AGENT_INSTRUCTIONS})
 * @param greeting spoken first when set ({@code AGENT_GREETING}); otherwise the caller speaks first
 * @param transferNumber where the agent's {@code transfer_call} tool dials ({@code TRANSFER_NUMBER}); the
 * tool is offered only when set
 */
@Validated
@ConfigurationProperties("voicebridge.agent")
public record AgentProperties(@NotBlank @DefaultValue(DEFAULT_INSTRUCTIONS) String instructions, String greeting,
		String transferNumber) {

	static final String DEFAULT_INSTRUCTIONS = "You are a helpful, friendly phone assistant. "
			+ "Keep answers short and natural for a phone call, ask one question at a time, "
			+ "and say so plainly when you do not know something.";

	public AgentProperties {
		greeting = Blank.toNull(greeting);
		transferNumber = Blank.toNull(transferNumber);
	}

}

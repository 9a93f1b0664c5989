package dev.voicebridge.profiles;

import java.util.Map;

import dev.voicebridge.config.OpenAiProperties.TurnDetection;
import dev.voicebridge.config.Upstream;

/**
 * What one call gets: its profile's settings with its plan's overrides, and the environment's
 * for every key they leave out. Immutable: a call keeps the one it started with, whatever a
 * reload does.
 *
 * @param id the profile's id ({@code default} without a profiles file)
 * @param plan the plan applied, or null
 * @param instructions the agent's system instructions
 * @param greeting what the agent says first, or null (the caller speaks first)
 * @param voice the Realtime voice
 * @param turnDetection the Realtime turn detection
 * @param transcriptionModel caller transcription's model, or null
 * @param language traditional mode's {@code <Say>}/{@code <Gather>} language, or null (Twilio's default)
 * @param sayVoice traditional mode's {@code <Say>} voice, or null (Twilio's default)
 * @param transferNumber where {@code transfer_call} dials, or null (no such tool)
 * @param fallbackMessage what the caller hears when the agent fails
 * @param fallbackNumber where the caller is then dialled, or null
 * @param realtimeProbability this profile's share of stream calls, or null for the service's
 * @param mode {@code stream} or {@code traditional} for every call of the profile, or null (routed)
 * @param dtmf {@code agent} or {@code ignore} for the keypad, or null for the service's
 * @param upstream where its agent runs
 * @param sources where each setting came from, by key, for the admin view
 */
public record CallProfile(String id, String plan, String instructions, String greeting, String voice,
		TurnDetection turnDetection, String transcriptionModel, String language, String sayVoice,
		String transferNumber, String fallbackMessage, String fallbackNumber, Double realtimeProbability, String mode,
		String dtmf, Upstream upstream, Map<String, String> sources) {

	/** The id of the implicit profile, and of the one a file names as its default when it calls it so. */
	public static final String DEFAULT_ID = "default";

	/** {@code dentist} or {@code dentist/premium}, for logs. */
	public String label() {
		return (this.plan != null) ? this.id + "/" + this.plan : this.id;
	}

}

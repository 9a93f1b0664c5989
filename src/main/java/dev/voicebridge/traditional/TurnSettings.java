package dev.voicebridge.traditional;

import dev.voicebridge.profiles.CallProfile;

/**
 * What a traditional-mode call keeps of its profile from its first turn to its last, stored
 * with its conversation (never a key): a reload between two turns changes nothing it hears.
 *
 * @param profile the profile's id
 * @param plan its plan, or null
 * @param instructions the system message
 * @param language the {@code <Say>}/{@code <Gather>} language, or null
 * @param sayVoice the {@code <Say>} voice, or null
 */
record TurnSettings(String profile, String plan, String instructions, String language, String sayVoice) {

	static TurnSettings of(CallProfile profile) {
		return new TurnSettings(profile.id(), profile.plan(), profile.instructions(), profile.language(),
				profile.sayVoice());
	}

}

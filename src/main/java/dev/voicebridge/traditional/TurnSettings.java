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
 * @param keypad whether the {@code <Gather>} listens for keypad digits too
 * @param startedAt when the call started in this mode, epoch milliseconds (0 in a conversation
 * stored before it was kept)
 */
record TurnSettings(String profile, String plan, String instructions, String language, String sayVoice,
		boolean keypad, long startedAt) {

	static TurnSettings of(CallProfile profile, boolean keypad, long now) {
		return new TurnSettings(profile.id(), profile.plan(), profile.instructions(), profile.language(),
				profile.sayVoice(), keypad, now);
	}

}

package dev.voicebridge.agent.realtime;

import java.util.ArrayDeque;

/**
 * The tail of a call's conversation as text, from the transcripts OpenAI sends, bounded in size.
 * It re-seeds a fresh Realtime session when a long call outlives the old one.
 */
final class ConversationLog {

	/** Enough for the gist of the last several minutes without bloating the instructions. */
	static final int MAX_CHARACTERS = 6000;

	private final ArrayDeque<String> lines = new ArrayDeque<>();

	private int characters;

	synchronized void caller(String text) {
		add("Caller: " + text.strip());
	}

	synchronized void agent(String text) {
		add("Agent: " + text.strip());
	}

	private void add(String line) {
		this.lines.addLast(line);
		this.characters += line.length() + 1;
		while (this.characters > MAX_CHARACTERS && this.lines.size() > 1) {
			this.characters -= this.lines.removeFirst().length() + 1;
		}
	}

	synchronized String text() {
		return this.lines.isEmpty() ? "(nothing was transcribed yet)" : String.join("\n", this.lines);
	}

}

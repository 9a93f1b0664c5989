package dev.voicebridge.traditional;

import java.util.ArrayList;
import java.util.List;

/**
 * One traditional-mode call's conversation as it is stored between turns: the recent messages
 * (never the system message, which comes from configuration), and counters that end a call
 * that runs too long or goes silent.
 *
 * @param messages caller and agent messages, oldest first, bounded by {@link #bounded}
 * @param turns caller turns answered so far
 * @param silences consecutive turns without speech
 * @param updatedAt when the conversation last changed, epoch milliseconds
 * @param settings what the call keeps of its profile; null in a conversation stored before profiles
 * @param tally tokens, cost and keypad entries so far; null in a conversation stored before them
 */
record Conversation(List<Message> messages, int turns, int silences, long updatedAt, TurnSettings settings,
		CallTally tally) {

	Conversation {
		messages = List.copyOf(messages);
	}

	static Conversation start(long now) {
		return start(now, null);
	}

	static Conversation start(long now, TurnSettings settings) {
		return new Conversation(List.of(), 0, 0, now, settings, CallTally.NONE);
	}

	/** A turn answered: the caller's words and the reply join the history. */
	Conversation answered(String speech, String reply, long now) {
		List<Message> next = new ArrayList<>(this.messages);
		next.add(Message.user(speech));
		next.add(Message.assistant(reply));
		return new Conversation(next, this.turns + 1, 0, now, this.settings, this.tally);
	}

	/** A turn that could not be answered (the upstream failed) still counts, but adds no history. */
	Conversation unanswered(long now) {
		return new Conversation(this.messages, this.turns + 1, 0, now, this.settings, this.tally);
	}

	/** The caller said nothing this turn. */
	Conversation silent(long now) {
		return new Conversation(this.messages, this.turns, this.silences + 1, now, this.settings, this.tally);
	}

	/** The running totals, never null. */
	CallTally totals() {
		return (this.tally != null) ? this.tally : CallTally.NONE;
	}

	Conversation withTally(CallTally next) {
		return new Conversation(this.messages, this.turns, this.silences, this.updatedAt, this.settings, next);
	}

	/** Touched without a turn, as when a call fails over to this mode. */
	Conversation touched(long now) {
		return new Conversation(this.messages, this.turns, this.silences, now, this.settings, this.tally);
	}

	/**
	 * Drops the oldest messages, a caller-and-agent pair at a time, until at most
	 * {@code maxMessages} and {@code maxChars} remain; the stored state of a call stays small
	 * however long it runs.
	 */
	Conversation bounded(int maxMessages, int maxChars) {
		List<Message> kept = new ArrayList<>(this.messages);
		while (!kept.isEmpty() && (kept.size() > maxMessages || chars(kept) > maxChars)) {
			kept.remove(0);
			if (!kept.isEmpty() && !"user".equals(kept.get(0).role())) {
				kept.remove(0);
			}
		}
		return new Conversation(kept, this.turns, this.silences, this.updatedAt, this.settings, this.tally);
	}

	private static int chars(List<Message> messages) {
		return messages.stream().mapToInt((message) -> message.content().length()).sum();
	}

}

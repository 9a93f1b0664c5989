package dev.voicebridge.agent.realtime;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The tail of a call's conversation as the caller heard it, from the transcripts OpenAI sends,
 * bounded in size. It seeds a fresh Realtime session when a long call outlives the old one. An
 * agent line the caller cut off keeps only the share of its words that was played, whichever
 * of the transcript and the barge-in arrives first. Confined to its call's order.
 */
final class ConversationLog {

	/** Enough for the gist of the last several minutes without bloating the instructions. */
	static final int MAX_CHARACTERS = 6000;

	/** Cut-offs remembered for transcripts still to come; a response has one audio item. */
	private static final int MAX_CUTS = 8;

	private final ArrayDeque<Line> lines = new ArrayDeque<>();

	private final ArrayDeque<Cut> cuts = new ArrayDeque<>();

	private int characters;

	private long version;

	void caller(String text) {
		add(new Line("Caller", null, text.strip()));
	}

	void agent(String itemId, String text) {
		Line line = new Line("Agent", itemId, text.strip());
		for (Iterator<Cut> it = this.cuts.iterator(); it.hasNext();) {
			Cut cut = it.next();
			if (cut.itemId().equals(itemId)) {
				line.cut(cut.heardMs(), cut.sentMs());
				it.remove();
			}
		}
		add(line);
	}

	/** The caller spoke over an agent item after hearing {@code heardMs} of its {@code sentMs}. */
	void interrupted(String itemId, long heardMs, long sentMs) {
		for (Line line : this.lines) {
			if (itemId.equals(line.itemId)) {
				this.characters -= line.text().length();
				line.cut(heardMs, sentMs);
				this.characters += line.text().length();
				this.version++;
				return;
			}
		}
		if (this.cuts.size() == MAX_CUTS) {
			this.cuts.removeFirst();
		}
		this.cuts.addLast(new Cut(itemId, heardMs, sentMs));
	}

	/** Changes whenever the text does. */
	long version() {
		return this.version;
	}

	String text() {
		if (this.lines.isEmpty()) {
			return "(nothing was transcribed yet)";
		}
		StringBuilder text = new StringBuilder();
		for (Line line : this.lines) {
			if (!text.isEmpty()) {
				text.append('\n');
			}
			text.append(line.text());
		}
		return text.toString();
	}

	private void add(Line line) {
		this.lines.addLast(line);
		this.characters += line.text().length() + 1;
		while (this.characters > MAX_CHARACTERS && this.lines.size() > 1) {
			this.characters -= this.lines.removeFirst().text().length() + 1;
		}
		this.version++;
	}

	private record Cut(String itemId, long heardMs, long sentMs) {
	}

	/** One turn; an agent turn the caller cut off shows only what was played of it. */
	private static final class Line {

		private final String speaker;

		private final String itemId;

		private final String words;

		private String heard;

		Line(String speaker, String itemId, String words) {
			this.speaker = speaker;
			this.itemId = itemId;
			this.words = words;
		}

		/** Keeps the share of the words that matches the share of the audio the caller heard. */
		void cut(long heardMs, long sentMs) {
			String[] all = this.words.split("\\s+");
			int kept = (sentMs <= 0) ? 0 : (int) Math.min(all.length, Math.round((double) all.length * heardMs / sentMs));
			this.heard = String.join(" ", java.util.Arrays.copyOf(all, kept));
		}

		String text() {
			if (this.heard == null) {
				return this.speaker + ": " + this.words;
			}
			return this.speaker + " (cut off by the caller): " + (this.heard.isEmpty() ? "..." : this.heard + "...");
		}

	}

}

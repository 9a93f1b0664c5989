package dev.voicebridge.agent.realtime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import dev.voicebridge.agent.Turn;

/**
 * The tail of a call's conversation as the caller heard it, from the transcripts OpenAI sends,
 * bounded in size. It seeds a fresh Realtime session when a long call outlives the old one. An
 * agent line the caller cut off keeps only the share of its words that was played, whichever
 * of the transcript and the barge-in arrives first. It also keeps the whole call's turns for the
 * call's record. Confined to its call's order.
 */
final class ConversationLog {

	/** Enough for the gist of the last several minutes without bloating the instructions. */
	static final int MAX_CHARACTERS = 6000;

	/** Cut-offs remembered for transcripts still to come; a response has one audio item. */
	private static final int MAX_CUTS = 8;

	private final ArrayDeque<Line> lines = new ArrayDeque<>();

	/** Every line of the call, for its record: bounded, but far beyond what seeds a session. */
	private final List<Line> all = new ArrayList<>();

	/** A record of a very long call keeps its first lines; later ones are counted as left out. */
	static final int MAX_RECORDED_LINES = 2000;

	private int leftOut;

	private final ArrayDeque<Cut> cuts = new ArrayDeque<>();

	private int characters;

	private long version;

	void caller(String text) {
		add(new Line("Caller", null, text.strip()));
	}

	/** The caller typed on the keypad; the digits are never kept (they may be a PIN). */
	void keypad() {
		add(new Line("Caller (keypad)", null, Turn.KEYPAD_ENTRY));
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

	/** The whole call's turns, as the caller heard them. */
	List<Turn> turns() {
		List<Turn> turns = new ArrayList<>(this.all.size() + 1);
		for (Line line : this.all) {
			turns.add(line.turn());
		}
		if (this.leftOut > 0) {
			turns.add(new Turn("note", this.leftOut + " later turns left out of this record", false));
		}
		return turns;
	}

	private void add(Line line) {
		if (this.all.size() < MAX_RECORDED_LINES) {
			this.all.add(line);
		}
		else {
			this.leftOut++;
		}
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
			this.heard = String.join(" ", Arrays.copyOf(all, kept));
		}

		Turn turn() {
			String speaker = this.speaker.startsWith("Agent") ? "agent"
					: this.speaker.endsWith("(keypad)") ? "keypad" : "caller";
			if (this.heard == null) {
				return new Turn(speaker, this.words, false);
			}
			return new Turn(speaker, this.heard, true);
		}

		String text() {
			if (this.heard == null) {
				return this.speaker + ": " + this.words;
			}
			return this.speaker + " (cut off by the caller): " + (this.heard.isEmpty() ? "..." : this.heard + "...");
		}

	}

}

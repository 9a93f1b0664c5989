package dev.voicebridge.diagnostics;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Objects;

/**
 * The newest entries of something, at most {@code capacity}, where no one source holds more
 * than {@code share} of them: a client that floods a path replaces its own entries, not the
 * ones that show what Twilio did. Thread-safe.
 */
final class RecentEntries<T> {

	private record Entry<T>(String source, T value) {
	}

	/** Oldest first. */
	private final LinkedList<Entry<T>> entries = new LinkedList<>();

	private final int capacity;

	private final int share;

	RecentEntries(int capacity, int share) {
		this.capacity = capacity;
		this.share = share;
	}

	/** Adds the newest entry; the source's own oldest goes when it has its share, else the oldest of all. */
	synchronized void add(String source, T value) {
		if (count(source) >= this.share) {
			removeOldest(source);
		}
		else if (this.entries.size() >= this.capacity) {
			this.entries.removeFirst();
		}
		this.entries.addLast(new Entry<>(source, value));
	}

	/** Newest first. */
	synchronized List<T> newestFirst() {
		List<T> copy = new ArrayList<>(this.entries.size());
		this.entries.descendingIterator().forEachRemaining((entry) -> copy.add(entry.value()));
		return copy;
	}

	private int count(String source) {
		int count = 0;
		for (Entry<T> entry : this.entries) {
			if (Objects.equals(entry.source(), source)) {
				count++;
			}
		}
		return count;
	}

	private void removeOldest(String source) {
		Iterator<Entry<T>> oldest = this.entries.iterator();
		while (oldest.hasNext()) {
			if (Objects.equals(oldest.next().source(), source)) {
				oldest.remove();
				return;
			}
		}
	}

}

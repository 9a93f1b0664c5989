package dev.voicebridge.diagnostics;

import java.util.ArrayDeque;
import java.util.List;

/** The newest entries of something, at most a fixed number; thread-safe. */
final class Bounded<T> {

	private final ArrayDeque<T> entries = new ArrayDeque<>();

	private final int capacity;

	Bounded(int capacity) {
		this.capacity = capacity;
	}

	synchronized void add(T entry) {
		if (this.entries.size() == this.capacity) {
			this.entries.removeFirst();
		}
		this.entries.addLast(entry);
	}

	/** Newest first. */
	synchronized List<T> newestFirst() {
		List<T> copy = new java.util.ArrayList<>(this.entries);
		java.util.Collections.reverse(copy);
		return copy;
	}

}

package dev.voicebridge.shared;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Shared state for a single instance: a map with expiry checked on access. Bounded: once it
 * holds {@link #MAX_ENTRIES} keys, expired ones are swept, and if it is still full the write is
 * refused rather than letting memory grow without end.
 */
public class InMemorySharedState implements SharedState {

	static final int MAX_ENTRIES = 100_000;

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	private final LongSupplier nanoTime;

	public InMemorySharedState() {
		this(System::nanoTime);
	}

	/** With a clock of its own ({@link System#nanoTime()} semantics), for tests. */
	public InMemorySharedState(LongSupplier nanoTime) {
		this.nanoTime = nanoTime;
	}

	@Override
	public Optional<String> get(String key) {
		Entry entry = this.entries.get(key);
		if (entry == null) {
			return Optional.empty();
		}
		if (entry.expired(this.nanoTime.getAsLong())) {
			this.entries.remove(key, entry);
			return Optional.empty();
		}
		return Optional.of(entry.value());
	}

	@Override
	public void put(String key, String value, Duration ttl) {
		if (!this.entries.containsKey(key) && !room()) {
			throw new IllegalStateException("in-memory shared state is full (" + MAX_ENTRIES + " keys)");
		}
		this.entries.put(key, new Entry(value, deadline(ttl)));
	}

	@Override
	public boolean delete(String key) {
		Entry entry = this.entries.remove(key);
		return entry != null && !entry.expired(this.nanoTime.getAsLong());
	}

	@Override
	public long increment(String key, Duration ttl) {
		if (!this.entries.containsKey(key) && !room()) {
			throw new IllegalStateException("in-memory shared state is full (" + MAX_ENTRIES + " keys)");
		}
		long now = this.nanoTime.getAsLong();
		Entry entry = this.entries.compute(key, (name, current) -> (current == null || current.expired(now))
				? new Entry("1", deadline(ttl)) : new Entry(Long.toString(Long.parseLong(current.value()) + 1),
						current.expiresAt()));
		return Long.parseLong(entry.value());
	}

	@Override
	public String kind() {
		return "memory";
	}

	int size() {
		return this.entries.size();
	}

	private boolean room() {
		if (this.entries.size() < MAX_ENTRIES) {
			return true;
		}
		long now = this.nanoTime.getAsLong();
		this.entries.entrySet().removeIf((entry) -> entry.getValue().expired(now));
		return this.entries.size() < MAX_ENTRIES;
	}

	private long deadline(Duration ttl) {
		return (ttl != null) ? this.nanoTime.getAsLong() + ttl.toNanos() : Long.MAX_VALUE;
	}

	private record Entry(String value, long expiresAt) {

		boolean expired(long now) {
			return this.expiresAt != Long.MAX_VALUE && now - this.expiresAt >= 0;
		}

	}

}

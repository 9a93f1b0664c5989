package dev.voicebridge.shared;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link InMemorySharedState}: expiry, counters that measure a window from their first
 * count, deletes that only one caller wins, and a bound on its size.
 */
class InMemorySharedStateTests {

	private final AtomicLong now = new AtomicLong(1_000);

	private final InMemorySharedState state = new InMemorySharedState(this.now::get);

	@Test
	void valuesExpireAfterTheirTtlAndWithoutOneNever() {
		this.state.put("a", "1", Duration.ofSeconds(2));
		this.state.put("b", "2", null);
		advance(Duration.ofMillis(1999));
		assertThat(this.state.get("a")).contains("1");
		advance(Duration.ofMillis(1));
		assertThat(this.state.get("a")).isEmpty();
		advance(Duration.ofDays(365));
		assertThat(this.state.get("b")).contains("2");
	}

	@Test
	void countersCountWithinAWindowThatStartsAtTheFirstCount() {
		assertThat(this.state.increment("c", Duration.ofSeconds(10))).isEqualTo(1);
		advance(Duration.ofSeconds(6));
		assertThat(this.state.increment("c", Duration.ofSeconds(10))).isEqualTo(2);
		advance(Duration.ofSeconds(4));
		assertThat(this.state.increment("c", Duration.ofSeconds(10))).as("the window began at the first count")
			.isEqualTo(1);
	}

	@Test
	void onlyOneDeleteWinsAndAnExpiredKeyIsNobodysToDelete() {
		this.state.put("a", "1", Duration.ofSeconds(1));
		assertThat(this.state.delete("a")).isTrue();
		assertThat(this.state.delete("a")).isFalse();
		this.state.put("b", "1", Duration.ofSeconds(1));
		advance(Duration.ofSeconds(1));
		assertThat(this.state.delete("b")).isFalse();
	}

	@Test
	void aFullStoreSweepsExpiredKeysAndRefusesWhenStillFull() {
		for (int i = 0; i < InMemorySharedState.MAX_ENTRIES; i++) {
			this.state.put("k" + i, "v", (i % 2 == 0) ? Duration.ofSeconds(1) : null);
		}
		advance(Duration.ofSeconds(1));
		this.state.put("new", "v", null);
		assertThat(this.state.size()).isEqualTo(InMemorySharedState.MAX_ENTRIES / 2 + 1);
		for (int i = 0; this.state.size() < InMemorySharedState.MAX_ENTRIES; i++) {
			this.state.put("more" + i, "v", null);
		}
		assertThatIllegalStateException().isThrownBy(() -> this.state.put("one-too-many", "v", null));
		this.state.put("new", "changed", null);
		assertThat(this.state.get("new")).contains("changed");
	}

	private void advance(Duration duration) {
		this.now.addAndGet(duration.toNanos());
	}

}

package dev.voicebridge.traditional;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.voicebridge.shared.InMemorySharedState;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConversationStore}: a conversation survives the round trip through the shared
 * state, and an idle one is ended exactly once, by the instance that served its last turn.
 */
class ConversationStoreTests {

	private static final Duration IDLE = Duration.ofMinutes(10);

	private final InMemorySharedState shared = new InMemorySharedState();

	private final ConversationStore first = new ConversationStore(this.shared, JsonMapper.shared(), IDLE);

	private final ConversationStore second = new ConversationStore(this.shared, JsonMapper.shared(), IDLE);

	@Test
	void aConversationRoundTripsThroughTheSharedState() {
		Conversation conversation = Conversation.start(0).answered("hi", "hello", 5);
		this.first.save("CA1", conversation);
		assertThat(this.second.load("CA1")).contains(conversation);
		assertThat(this.second.load("CA2")).isEmpty();
	}

	@Test
	void anIdleConversationIsEndedOnceByTheInstanceThatServedItsLastTurn() {
		long start = 1_000_000;
		this.first.save("CA1", Conversation.start(start));
		this.second.save("CA1", Conversation.start(start).answered("hi", "hello", start + 60_000));
		long later = start + IDLE.toMillis() + 1;
		assertThat(this.first.endIdle(later)).as("the second instance touched it later").isEmpty();
		assertThat(this.second.endIdle(later)).isEmpty();
		long idle = start + 60_000 + IDLE.toMillis();
		assertThat(this.first.endIdle(idle)).isEmpty();
		assertThat(this.second.endIdle(idle)).extracting(ConversationStore.Idle::callSid).containsExactly("CA1");
		assertThat(this.second.endIdle(idle + 1)).isEmpty();
		assertThat(this.first.load("CA1")).isEmpty();
		assertThat(this.first.watchedCount()).isZero();
		assertThat(this.second.watchedCount()).isZero();
	}

	@Test
	void aConversationThatEndedIsNotCountedAgainWhenItWouldHaveExpired() {
		this.first.save("CA1", Conversation.start(0));
		assertThat(this.first.end("CA1")).isTrue();
		assertThat(this.first.end("CA1")).isFalse();
		assertThat(this.first.endIdle(IDLE.toMillis() * 3)).isEmpty();
	}

	@Test
	void manyConversationsEndInOneSweep() {
		for (int i = 0; i < 5; i++) {
			this.first.save("CA" + i, Conversation.start(0));
		}
		assertThat(this.first.endIdle(IDLE.toMillis())).hasSize(5);
		assertThat(List.of(this.first.watchedCount())).containsExactly(0);
	}

}

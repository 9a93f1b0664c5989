package dev.voicebridge.traditional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Conversation}: the history stays within its bounds, oldest turns first, and
 * never starts with an agent message whose question was dropped.
 */
class ConversationTests {

	@Test
	void theOldestTurnsGoFirstWhenThereAreTooManyMessages() {
		Conversation conversation = Conversation.start(0);
		for (int i = 1; i <= 5; i++) {
			conversation = conversation.answered("q" + i, "a" + i, i).bounded(4, 10_000);
		}
		assertThat(conversation.messages()).extracting(Message::content).containsExactly("q4", "a4", "q5", "a5");
		assertThat(conversation.turns()).isEqualTo(5);
	}

	@Test
	void theHistoryStaysWithinItsSizeAndStartsWithTheCaller() {
		Conversation conversation = Conversation.start(0)
			.answered("x".repeat(50), "y".repeat(50), 1)
			.answered("short", "z".repeat(60), 2)
			.bounded(100, 100);
		assertThat(conversation.messages()).extracting(Message::content).containsExactly("short", "z".repeat(60));
		assertThat(conversation.messages().get(0).role()).isEqualTo("user");
	}

	@Test
	void silenceCountsUpAndAnAnsweredTurnResetsIt() {
		Conversation conversation = Conversation.start(0).silent(1).silent(2);
		assertThat(conversation.silences()).isEqualTo(2);
		assertThat(conversation.answered("hi", "hello", 3).silences()).isZero();
		assertThat(conversation.unanswered(3).silences()).isZero();
		assertThat(conversation.unanswered(3).messages()).isEmpty();
	}

}

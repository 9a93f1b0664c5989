package dev.voicebridge.call;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.voicebridge.agent.Base64Audio;
import dev.voicebridge.agent.Interruption;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PlaybackClock}: mu-law is 8 bytes a millisecond, a mark is due every 800
 * bytes (100 ms).
 */
class PlaybackClockTests {

	private final PlaybackClock clock = new PlaybackClock();

	@Test
	void markIntervalIsOneHundredMillisecondsOfMuLaw() {
		assertThat(PlaybackClock.MARK_INTERVAL_BYTES).isEqualTo(800);
		assertThat(this.clock.roomBeforeMark()).isEqualTo(800);
		assertThat(this.clock.hasUnmarkedAudio()).isFalse();
		assertThat(this.clock.isPlaying()).isFalse();
	}

	@Test
	void roomBeforeMarkDecreasesWithSentBytes() {
		this.clock.sent("a", 160);
		assertThat(this.clock.roomBeforeMark()).isEqualTo(640);

		this.clock.sent("a", 320);
		assertThat(this.clock.roomBeforeMark()).isEqualTo(320);

		this.clock.sent("b", 320);
		assertThat(this.clock.roomBeforeMark()).isZero();
		assertThat(this.clock.hasUnmarkedAudio()).isTrue();
	}

	@Test
	void marksAreNumberedUpwardsAndResetUnmarkedAudio() {
		this.clock.sent("a", 500);

		long first = this.clock.mark();

		assertThat(first).isEqualTo(1);
		assertThat(this.clock.hasUnmarkedAudio()).isFalse();
		assertThat(this.clock.roomBeforeMark()).isEqualTo(800);

		this.clock.sent("a", 800);
		long second = this.clock.mark();
		long third = this.clock.mark();

		assertThat(second).isEqualTo(2);
		assertThat(third).isEqualTo(3);
		assertThat(this.clock.pendingMarks()).isEqualTo(3);
	}

	@Test
	void interruptReturnsNullWhenNothingWasSent() {
		assertThat(this.clock.interrupt()).isNull();
	}

	@Test
	void interruptReturnsNullOnceEverythingSentWasPlayed() {
		this.clock.sent("a", 800);
		long mark = this.clock.mark();
		this.clock.played(Long.toString(mark));

		assertThat(this.clock.isPlaying()).isFalse();
		assertThat(this.clock.interrupt()).isNull();
	}

	@Test
	void playedMarksAdvanceWhatWasHeard() {
		sendMarked("a", 2400);

		assertThat(this.clock.pendingMarks()).isEqualTo(3);
		this.clock.played("1");
		assertThat(this.clock.pendingMarks()).isEqualTo(2);
		this.clock.played("2");
		assertThat(this.clock.pendingMarks()).isEqualTo(1);

		assertThat(this.clock.interrupt()).isEqualTo(new Interruption("a", 200));
	}

	@Test
	void playedMarkAlsoConfirmsEarlierMarks() {
		sendMarked("a", 2400);

		this.clock.played("2");

		assertThat(this.clock.pendingMarks()).isEqualTo(1);
		assertThat(this.clock.interrupt()).isEqualTo(new Interruption("a", 200));
	}

	@Test
	void interruptReportsTheAudioHeardUpToTheLastPlayedMark() {
		this.clock.sent("a", 800);
		assertThat(this.clock.mark()).isEqualTo(1);
		this.clock.sent("a", 800);
		assertThat(this.clock.mark()).isEqualTo(2);

		this.clock.played("1");
		Interruption interruption = this.clock.interrupt();

		assertThat(interruption).isEqualTo(new Interruption("a", 100));
	}

	@Test
	void interruptForgetsUnplayedAudio() {
		sendMarked("a", 1600);
		this.clock.sent("a", 200);

		assertThat(this.clock.interrupt()).isNotNull();

		assertThat(this.clock.pendingMarks()).isZero();
		assertThat(this.clock.hasUnmarkedAudio()).isFalse();
		assertThat(this.clock.isPlaying()).isFalse();
		assertThat(this.clock.interrupt()).isNull();
	}

	@Test
	void interruptWithOnlyUnmarkedAudioReportsNothingHeard() {
		this.clock.sent("a", 400);

		assertThat(this.clock.isPlaying()).isTrue();
		assertThat(this.clock.interrupt()).isEqualTo(new Interruption("a", 0));
	}

	@Test
	void heardAudioBeforeUnmarkedTailStillCounts() {
		sendMarked("a", 800);
		this.clock.played("1");
		this.clock.sent("a", 400);

		assertThat(this.clock.interrupt()).isEqualTo(new Interruption("a", 100));
	}

	@Test
	void heardNeverExceedsWhatWasSentOfTheItem() {
		sendMarked("a", 1600);
		this.clock.played("2");
		// the same item id becomes current again after another item: only 200 bytes of it are pending
		this.clock.sent("b", 100);
		this.clock.sent("a", 200);
		this.clock.mark();

		Interruption interruption = this.clock.interrupt();

		assertThat(interruption.itemId()).isEqualTo("a");
		assertThat(interruption.audioEndMs()).isEqualTo(25);
	}

	@Test
	void heardNeverExceedsSentInRandomSessions() {
		Random random = new Random(1234);
		for (int round = 0; round < 200; round++) {
			PlaybackClock clock = new PlaybackClock();
			Map<String, Long> sentByItem = new HashMap<>();
			List<Long> marks = new ArrayList<>();
			int item = 0;
			for (int step = 0; step < 60; step++) {
				int action = random.nextInt(10);
				if (action < 5) {
					String itemId = "item" + item;
					int bytes = 1 + random.nextInt(Math.max(1, clock.roomBeforeMark()));
					clock.sent(itemId, bytes);
					sentByItem.merge(itemId, (long) bytes, Long::sum);
				}
				else if (action < 7) {
					// as the call does: a mark only ever follows audio
					if (clock.hasUnmarkedAudio()) {
						marks.add(clock.mark());
					}
				}
				else if (action < 9 && !marks.isEmpty()) {
					clock.played(Long.toString(marks.get(random.nextInt(marks.size()))));
				}
				else {
					Interruption interruption = clock.interrupt();
					if (interruption != null) {
						long sentMs = sentByItem.getOrDefault(interruption.itemId(), 0L) / Base64Audio.BYTES_PER_MS;
						assertThat(interruption.audioEndMs()).as("round %d step %d", round, step)
							.isBetween(0L, sentMs);
						assertThat(sentByItem).containsKey(interruption.itemId());
					}
					item++;
				}
			}
		}
	}

	@Test
	void ignoresMarksThatWereNeverSent() {
		sendMarked("a", 1600);

		this.clock.played("99");

		assertThat(this.clock.pendingMarks()).isEqualTo(2);
		assertThat(this.clock.interrupt()).isEqualTo(new Interruption("a", 0));
	}

	@Test
	void ignoresNonNumericMarkNamesWithoutConfirmingAnything() {
		sendMarked("a", 1600);

		this.clock.played("abc");
		this.clock.played("-1");
		this.clock.played("0");
		this.clock.played("");
		this.clock.played(null);
		this.clock.played("1.5");
		this.clock.played(" 1");
		this.clock.played("1234567890123456789012");

		assertThat(this.clock.pendingMarks()).isEqualTo(2);
		assertThat(this.clock.interrupt()).isEqualTo(new Interruption("a", 0));
	}

	@Test
	void marksEchoedAfterInterruptDoNotCountAsHeardForLaterAudio() {
		sendMarked("a", 1600);
		this.clock.played("1");
		assertThat(this.clock.interrupt()).isEqualTo(new Interruption("a", 100));

		// Twilio echoes the marks the clear dropped
		this.clock.played("2");
		this.clock.sent("b", 800);
		long next = this.clock.mark();
		this.clock.played("2");

		assertThat(next).isEqualTo(3);
		assertThat(this.clock.pendingMarks()).isEqualTo(1);
		assertThat(this.clock.interrupt()).isEqualTo(new Interruption("b", 0));
	}

	@Test
	void clearedMarksEchoedWhileNewAudioIsPendingDoNotConfirmIt() {
		sendMarked("a", 1600);
		this.clock.interrupt();
		sendMarked("b", 1600);

		this.clock.played("1");
		this.clock.played("2");

		assertThat(this.clock.pendingMarks()).isEqualTo(2);
		assertThat(this.clock.interrupt()).isEqualTo(new Interruption("b", 0));
	}

	@Test
	void newItemAfterAFullyPlayedItemReportsNothingHeardUntilItsMarksPlay() {
		sendMarked("a", 1600);
		this.clock.played("2");
		sendMarked("b", 1600);

		assertThat(this.clock.interrupt()).isEqualTo(new Interruption("b", 0));
	}

	@Test
	void newItemWithOnlyUnmarkedAudioAfterAFullyPlayedItemReportsNothingHeard() {
		sendMarked("a", 800);
		this.clock.played("1");
		this.clock.sent("b", 400);

		assertThat(this.clock.interrupt()).isEqualTo(new Interruption("b", 0));
	}

	@Test
	void newItemReportsWhatWasHeardOfItOnceItsMarksPlay() {
		sendMarked("a", 1600);
		this.clock.played("2");
		sendMarked("b", 1600);
		this.clock.played("3");

		assertThat(this.clock.interrupt()).isEqualTo(new Interruption("b", 100));
	}

	@Test
	void pendingMarksAreBounded() {
		this.clock.sent("a", 8);
		for (int i = 0; i < PlaybackClock.MAX_PENDING_MARKS + 10; i++) {
			this.clock.mark();
		}

		assertThat(this.clock.pendingMarks()).isEqualTo(PlaybackClock.MAX_PENDING_MARKS);

		this.clock.played(Long.toString(PlaybackClock.MAX_PENDING_MARKS + 10));
		assertThat(this.clock.pendingMarks()).isZero();
	}

	@Test
	void oldestPendingMarksAreForgottenFirst() {
		for (int i = 0; i < PlaybackClock.MAX_PENDING_MARKS + 1; i++) {
			this.clock.sent("a", 8);
			this.clock.mark();
		}

		this.clock.played("1");
		assertThat(this.clock.pendingMarks()).isEqualTo(PlaybackClock.MAX_PENDING_MARKS);

		this.clock.played("2");
		assertThat(this.clock.pendingMarks()).isEqualTo(PlaybackClock.MAX_PENDING_MARKS - 1);
		assertThat(this.clock.interrupt()).isEqualTo(new Interruption("a", 2));
	}

	/** Sends an item in 800-byte pieces, each followed by a mark. */
	private void sendMarked(String itemId, int bytes) {
		for (int sent = 0; sent < bytes; sent += PlaybackClock.MARK_INTERVAL_BYTES) {
			this.clock.sent(itemId, Math.min(PlaybackClock.MARK_INTERVAL_BYTES, bytes - sent));
			assertThat(this.clock.roomBeforeMark()).isGreaterThanOrEqualTo(0);
			this.clock.mark();
		}
	}

}

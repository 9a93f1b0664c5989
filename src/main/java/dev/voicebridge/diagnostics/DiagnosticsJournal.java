package dev.voicebridge.diagnostics;

import java.time.Clock;
import java.util.List;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.voicebridge.twilio.StreamErrorEvent;

/**
 * The last upgrade attempts and the last stream errors Twilio reported, for the status page.
 */
@Component
class DiagnosticsJournal {

	static final int KEPT = 20;

	private final Bounded<UpgradeAttempt> attempts = new Bounded<>(KEPT);

	private final Bounded<StreamErrorReport> streamErrors = new Bounded<>(KEPT);

	private final Clock clock;

	DiagnosticsJournal(Clock clock) {
		this.clock = clock;
	}

	void attempt(UpgradeAttempt attempt) {
		this.attempts.add(attempt);
	}

	@EventListener
	void onStreamError(StreamErrorEvent event) {
		this.streamErrors.add(StreamErrorReport.of(this.clock.instant(), event.callSid(), event.error()));
	}

	/** Newest first. */
	List<UpgradeAttempt> attempts() {
		return this.attempts.newestFirst();
	}

	/** Newest first. */
	List<StreamErrorReport> streamErrors() {
		return this.streamErrors.newestFirst();
	}

}

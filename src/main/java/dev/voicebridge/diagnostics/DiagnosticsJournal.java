package dev.voicebridge.diagnostics;

import java.time.Clock;
import java.util.List;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.voicebridge.call.StreamErrorEvent;


/**
 * The last upgrade attempts and the last stream errors Twilio reported, for the status page.
 * One client address holds at most {@link #SHARE} of the attempts and one call of the errors,
 * so a flood from one place cannot bury the attempts that show what happened.
 */
@Component
class DiagnosticsJournal {

	static final int KEPT = 20;

	static final int SHARE = 5;

	private final RecentEntries<UpgradeAttempt> attempts = new RecentEntries<>(KEPT, SHARE);

	private final RecentEntries<StreamErrorReport> streamErrors = new RecentEntries<>(KEPT, SHARE);

	private final Clock clock;

	DiagnosticsJournal(Clock clock) {
		this.clock = clock;
	}

	void attempt(UpgradeAttempt attempt) {
		this.attempts.add(attempt.client(), attempt);
	}

	@EventListener
	void onStreamError(StreamErrorEvent event) {
		this.streamErrors.add(event.callSid(), StreamErrorReport.of(this.clock.instant(), event.callSid(), event.error()));
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

package dev.voicebridge.call;

import java.util.Locale;

/** How a call ended; the {@code outcome} tag of {@code voicebridge.calls}. */
public enum CallOutcome {

	/** The agent ended the call deliberately. */
	COMPLETED,

	/** The caller's side went away: Twilio sent {@code stop} or its socket closed. */
	CALLER_HUNG_UP,

	/** The agent failed (refused connect, dropped upstream, fatal error); the caller got the fallback. */
	AGENT_FAILED,

	/** The stream was refused or closed for bad input. */
	REJECTED,

	/** The instance shut down and closed the call after the drain timeout. */
	DRAINED;

	public String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

}

package dev.voicebridge.routing;

import java.util.Locale;
import java.util.Optional;

/** How a call is served: over the media stream, or turn by turn with {@code <Gather>}. */
public enum CallMode {

	STREAM, TRADITIONAL;

	/** The value of the {@code mode} tag and of the webhook's {@code mode} parameter. */
	public String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** {@code stream} or {@code traditional}, any case; empty for anything else. */
	public static Optional<CallMode> parse(String value) {
		for (CallMode mode : values()) {
			if (mode.tag().equalsIgnoreCase((value != null) ? value.strip() : "")) {
				return Optional.of(mode);
			}
		}
		return Optional.empty();
	}

}

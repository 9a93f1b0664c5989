package dev.voicebridge.routing;

/**
 * The mode a call gets and why: {@code probability}, {@code failover}, {@code breaker},
 * {@code draining}, or {@code requested} when the webhook URL asked for it with {@code mode=}.
 */
public record Route(CallMode mode, String reason) {

	public boolean isStream() {
		return this.mode == CallMode.STREAM;
	}

}

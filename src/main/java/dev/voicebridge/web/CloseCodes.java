package dev.voicebridge.web;

/**
 * WebSocket close codes that may be put on the wire. 1005, 1006 and 1015 only describe what a
 * peer observed (RFC 6455 §7.4.1); sending them, or anything outside the valid ranges, would
 * break the other side's close handling, so they become 1011.
 */
public final class CloseCodes {

	public static final int NORMAL = 1000;

	public static final int GOING_AWAY = 1001;

	public static final int UNSUPPORTED_DATA = 1003;

	public static final int POLICY_VIOLATION = 1008;

	public static final int TOO_BIG = 1009;

	public static final int SERVER_ERROR = 1011;

	private CloseCodes() {
	}

	/** The code itself when it may be sent, otherwise 1011. */
	public static int sendable(int code) {
		boolean defined = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014);
		boolean registeredOrPrivate = code >= 3000 && code <= 4999;
		return (defined || registeredOrPrivate) ? code : SERVER_ERROR;
	}

}

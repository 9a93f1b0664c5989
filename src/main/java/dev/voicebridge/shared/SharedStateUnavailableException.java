package dev.voicebridge.shared;

/**
 * Thrown at once, without asking the store, while the shared state is known not to answer.
 * Callers treat it as any other failure of the state and fall back.
 */
public class SharedStateUnavailableException extends RuntimeException {

	SharedStateUnavailableException(String message) {
		// thrown on every call during an outage: no stack trace to fill in
		super(message, null, false, false);
	}

}

package dev.voicebridge.agent;

/** What the agent decided to do with the call through its tools. */
public enum CallAction {

	/** {@code end_call}: hang up once the goodbye has been heard. */
	END,

	/** {@code transfer_call}: dial {@code TRANSFER_NUMBER} once the hand-over line has been heard. */
	TRANSFER

}

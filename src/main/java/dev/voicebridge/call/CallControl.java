package dev.voicebridge.call;

/**
 * Changes a live call from outside the media stream, so it works whichever instance holds the
 * stream and whichever answers Twilio's next request.
 */
public interface CallControl {

	/** Whether live calls can be changed (Twilio REST credentials are set). */
	boolean available();

	/** Hangs the call up. */
	void hangUp(String callSid);

	/** Dials the number, ending the agent's part of the call. */
	void transfer(String callSid, String number);

}

package dev.voicebridge.twilio;

/** The paths Twilio calls; operators type them into the Twilio console, so they never change. */
public final class TwilioRoutes {

	public static final String VOICE = "/twilio/voice";

	public static final String STREAM_STATUS = "/twilio/stream-status";

	public static final String STREAM_ACTION = "/twilio/stream-action";

	public static final String MEDIA = "/twilio-media";

	/** The {@code <Gather>} action of traditional mode: one caller turn each. */
	public static final String GATHER = "/twilio/gather";

	private TwilioRoutes() {
	}

}

package dev.voicebridge.media;

import java.util.Map;

/**
 * One message of Twilio's Media Streams protocol, as decoded by {@link TwilioMessageCodec}.
 * Numbers that Twilio sends as strings are kept as strings: none of them steer the relay.
 */
public sealed interface TwilioEvent {

	/** {@code connected}: the first message on a new stream. */
	record Connected(String protocol, String version) implements TwilioEvent {
	}

	/** {@code start}: the stream's identity, its custom parameters and its media format. */
	record Start(String streamSid, String callSid, String accountSid, Map<String, String> customParameters,
			String encoding, int sampleRate, int channels) implements TwilioEvent {
	}

	/** {@code media}: one chunk of caller audio, its base64 payload kept exactly as received. */
	record Media(String streamSid, String track, String payload) implements TwilioEvent {
	}

	/** {@code mark}: Twilio has played the audio sent before the mark of that name. */
	record Mark(String streamSid, String name) implements TwilioEvent {
	}

	/** {@code dtmf}: the caller pressed a key. */
	record Dtmf(String streamSid, String digit) implements TwilioEvent {
	}

	/** {@code stop}: the stream has ended (caller hung up, or the call moved on). */
	record Stop(String streamSid, String callSid) implements TwilioEvent {
	}

	/** A well-formed message of a type this relay does not handle; ignored and counted. */
	record Unknown(String event) implements TwilioEvent {
	}

	/** A message that could not be understood; the reason is safe to log. */
	record Invalid(String reason) implements TwilioEvent {
	}

}

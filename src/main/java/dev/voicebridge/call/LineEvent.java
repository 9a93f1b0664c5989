package dev.voicebridge.call;

import java.util.Map;

/**
 * One message from the caller's line, Twilio's Media Streams protocol as the media package decodes it.
 * Numbers that Twilio sends as strings are kept as strings: none of them steer the relay.
 */
public sealed interface LineEvent {

	/** {@code connected}: the first message on a new stream. */
	record Connected(String protocol, String version) implements LineEvent {
	}

	/** {@code start}: the stream's identity, its custom parameters and its media format. */
	record Start(String streamSid, String callSid, String accountSid, Map<String, String> customParameters,
			String encoding, int sampleRate, int channels) implements LineEvent {
	}

	/** {@code media}: one chunk of caller audio, its base64 payload kept exactly as received. */
	record Media(String streamSid, String track, String payload) implements LineEvent {
	}

	/** {@code mark}: Twilio has played the audio sent before the mark of that name. */
	record Mark(String streamSid, String name) implements LineEvent {
	}

	/** {@code dtmf}: the caller pressed a key. */
	record Dtmf(String streamSid, String digit) implements LineEvent {
	}

	/** {@code stop}: the stream has ended (caller hung up, or the call moved on). */
	record Stop(String streamSid, String callSid) implements LineEvent {
	}

	/** A well-formed message of a type this relay does not handle; ignored and counted. */
	record Unknown(String event) implements LineEvent {
	}

	/** A message that could not be understood; the reason is safe to log. */
	record Invalid(String reason) implements LineEvent {
	}

}

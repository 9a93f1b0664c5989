package dev.voicebridge.twilio;

import java.util.Map;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Connect;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Parameter;
import com.twilio.twiml.voice.Say;
import com.twilio.twiml.voice.Stream;

import dev.voicebridge.web.TwilioRoutes;

/**
 * TwiML documents, built with the Twilio SDK so escaping and attribute names are Twilio's own.
 */
public final class TwimlFactory {

	private TwimlFactory() {
	}

	/**
	 * Connects the call to our media stream. The Stream URL carries no query string: per-call
	 * data travels as {@code <Parameter>}s and arrives in {@code start.customParameters}.
	 */
	public static String connectStream(String base, String streamUrl, Map<String, String> parameters) {
		return connectStream(base, streamUrl, parameters, null);
	}

	/** As above, with {@code actionQuery} (or null) on the Connect action's URL. */
	public static String connectStream(String base, String streamUrl, Map<String, String> parameters,
			String actionQuery) {
		Stream.Builder stream = new Stream.Builder().url(streamUrl)
			.statusCallback(base + TwilioRoutes.STREAM_STATUS)
			.statusCallbackMethod(Stream.StatusCallbackMethod.POST);
		parameters.forEach((name, value) -> stream.parameter(new Parameter.Builder().name(name).value(value).build()));
		String action = base + TwilioRoutes.STREAM_ACTION + ((actionQuery != null) ? "?" + actionQuery : "");
		Connect connect = new Connect.Builder().action(action)
			.method(HttpMethod.POST)
			.stream(stream.build())
			.build();
		return new VoiceResponse.Builder().connect(connect).build().toXml();
	}

	/** Ends the call. */
	public static String hangup() {
		return new VoiceResponse.Builder().hangup(new Hangup.Builder().build()).build().toXml();
	}

	/** Dials a number (the agent's transfer). */
	public static String dial(String number) {
		return new VoiceResponse.Builder().dial(new Dial.Builder(number).build()).build().toXml();
	}

	/**
	 * What a caller hears when the agent failed: the message, then a dial to the fallback number
	 * when there is one, otherwise a polite hang-up.
	 */
	public static String fallback(String message, String number) {
		VoiceResponse.Builder response = new VoiceResponse.Builder().say(new Say.Builder(message).build());
		if (number != null) {
			response.dial(new Dial.Builder(number).build());
		}
		else {
			response.hangup(new Hangup.Builder().build());
		}
		return response.build().toXml();
	}

}

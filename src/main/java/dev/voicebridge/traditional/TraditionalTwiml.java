package dev.voicebridge.traditional;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Redirect;
import com.twilio.twiml.voice.Say;

import dev.voicebridge.twilio.TwilioRoutes;

/**
 * TwiML of traditional mode, built with the Twilio SDK: say something inside a speech
 * {@code <Gather>} whose action is the next turn.
 */
final class TraditionalTwiml {

	private TraditionalTwiml() {
	}

	/**
	 * Says {@code text} while listening for the caller's answer. Twilio posts the action even
	 * when nothing was said; the trailing {@code <Redirect>} covers a Gather that ends without
	 * calling it, so the call never falls off the end of the document into a hang-up.
	 */
	static String gather(String base, String text) {
		String action = base + TwilioRoutes.GATHER;
		Gather gather = new Gather.Builder().inputs(Gather.Input.SPEECH)
			.action(action)
			.method(HttpMethod.POST)
			.speechTimeout("auto")
			.actionOnEmptyResult(true)
			.say(new Say.Builder(text).build())
			.build();
		return new VoiceResponse.Builder().gather(gather)
			.redirect(new Redirect.Builder(action).method(HttpMethod.POST).build())
			.build()
			.toXml();
	}

	/** Says goodbye and ends the call. */
	static String goodbye(String text) {
		return new VoiceResponse.Builder().say(new Say.Builder(text).build())
			.hangup(new Hangup.Builder().build())
			.build()
			.toXml();
	}

}

package dev.voicebridge.traditional;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Redirect;
import com.twilio.twiml.voice.Say;

import dev.voicebridge.profiles.CallProfile;
import dev.voicebridge.profiles.Profiles;
import dev.voicebridge.web.TwilioRoutes;

/**
 * TwiML of traditional mode, built with the Twilio SDK: say something inside a speech
 * {@code <Gather>} whose action is the next turn.
 */
final class TraditionalTwiml {

	/** The Gather action's query parameter that tells its turns apart. */
	static final String TURN_PARAMETER = "turn";

	private TraditionalTwiml() {
	}

	/**
	 * Says {@code text} while listening for the caller's answer. Twilio posts the action even
	 * when nothing was said; the trailing {@code <Redirect>} covers a Gather that ends without
	 * calling it, so the call never falls off the end of the document into a hang-up.
	 */
	static String gather(String base, String text, TurnSettings settings) {
		String action = base + TwilioRoutes.GATHER + profileQuery(settings) + turnQuery(settings);
		Gather.Builder gather = new Gather.Builder()
			.inputs((settings != null && settings.keypad()) ? List.of(Gather.Input.SPEECH, Gather.Input.DTMF)
					: List.of(Gather.Input.SPEECH))
			.action(action)
			.method(HttpMethod.POST)
			.speechTimeout("auto")
			.actionOnEmptyResult(true)
			.say(say(text, settings));
		Gather.Language language = (settings != null) ? twilioValue(Gather.Language.values(), settings.language()) : null;
		if (language != null) {
			gather.language(language);
		}
		return new VoiceResponse.Builder().gather(gather.build())
			.redirect(new Redirect.Builder(action).method(HttpMethod.POST).build())
			.build()
			.toXml();
	}

	/** Says goodbye and ends the call. */
	static String goodbye(String text, TurnSettings settings) {
		return new VoiceResponse.Builder().say(say(text, settings))
			.hangup(new Hangup.Builder().build())
			.build()
			.toXml();
	}

	/**
	 * The action names the call's profile (any but the implicit one), so a turn that finds no
	 * stored conversation still knows whose call it is; Twilio signs the query with the URL.
	 */
	private static String profileQuery(TurnSettings settings) {
		if (settings == null || CallProfile.DEFAULT_ID.equals(settings.profile())) {
			return "";
		}
		String query = "?" + Profiles.PROFILE_PARAMETER + "=" + URLEncoder.encode(settings.profile(), StandardCharsets.UTF_8);
		return (settings.plan() != null) ? query + "&" + Profiles.PLAN_PARAMETER + "="
				+ URLEncoder.encode(settings.plan(), StandardCharsets.UTF_8) : query;
	}

	/**
	 * A value of its own for each {@code <Gather>} handed out: two turns with the same words (two
	 * silences) are then two requests, and only a repeat of one request is a replay.
	 */
	private static String turnQuery(TurnSettings settings) {
		boolean first = settings == null || CallProfile.DEFAULT_ID.equals(settings.profile());
		return (first ? "?" : "&") + TURN_PARAMETER + "=" + Long.toHexString(ThreadLocalRandom.current().nextLong());
	}

	/** {@code <Say>} in the profile's voice and language, where it names them. */
	private static Say say(String text, TurnSettings settings) {
		Say.Builder say = new Say.Builder(text);
		if (settings != null) {
			Say.Voice voice = twilioValue(Say.Voice.values(), settings.sayVoice());
			if (voice != null) {
				say.voice(voice);
			}
			Say.Language language = twilioValue(Say.Language.values(), settings.language());
			if (language != null) {
				say.language(language);
			}
		}
		return say.build();
	}

	/** The SDK's constant for a value as TwiML spells it ({@code en-US}, {@code Polly.Joanna-Neural}), or null. */
	private static <E extends Enum<E>> E twilioValue(E[] choices, String value) {
		if (value == null) {
			return null;
		}
		for (E choice : choices) {
			if (choice.toString().equals(value)) {
				return choice;
			}
		}
		return null;
	}

}

package dev.voicebridge.twilio;

import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Hangup;
import com.twilio.type.Twiml;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.voicebridge.call.CallControl;
import dev.voicebridge.config.TwilioProperties;

/**
 * The Twilio REST client, pointed at {@code TWILIO_API_BASE_URL}, and what uses it to change live
 * calls ({@code Call.updater}) for the agent's end and transfer tools.
 */
@Configuration(proxyBeanMethods = false)
class TwilioRestConfiguration {

	private static final Logger log = LoggerFactory.getLogger(TwilioRestConfiguration.class);

	@Bean
	TwilioRest twilioRest(TwilioProperties twilio) {
		if (!twilio.hasRestCredentials()) {
			return new TwilioRest(null);
		}
		return new TwilioRest(new TwilioRestClient.Builder(twilio.accountSid(), twilio.authToken())
			.httpClient(new BaseUrlHttpClient(twilio.apiBaseUrl()))
			.build());
	}

	@Bean
	CallControl callControl(TwilioRest rest) {
		return new CallControl() {

			@Override
			public boolean available() {
				return rest.client() != null;
			}

			@Override
			public void hangUp(String callSid) {
				update(callSid, new VoiceResponse.Builder().hangup(new Hangup.Builder().build()).build(), "hang-up");
			}

			@Override
			public void transfer(String callSid, String number) {
				update(callSid, new VoiceResponse.Builder().dial(new Dial.Builder(number).build()).build(), "transfer");
			}

			private void update(String callSid, VoiceResponse twiml, String what) {
				Call.updater(callSid).setTwiml(new Twiml(twiml.toXml())).update(rest.client());
				log.info("[Webhook] callSid={} changed through the Twilio REST API: {}", callSid, what);
			}

		};
	}

	/** The REST client, or none when credentials are missing. */
	record TwilioRest(TwilioRestClient client) {
	}

}

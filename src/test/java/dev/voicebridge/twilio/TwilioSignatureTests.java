package dev.voicebridge.twilio;

import java.util.Map;

import com.twilio.security.RequestValidator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our signer must agree with the Twilio SDK's validator, the reference for what Twilio sends.
 */
class TwilioSignatureTests {

	private static final String TOKEN = "12345678901234567890123456789012";

	@Test
	void signaturesValidateWithTheSdk() {
		Map<String, String> parameters = Map.of("CallSid", "CA1", "From", "+15551230000", "To", "+15557650000",
				"Caller", "a&b=c");
		String url = "https://voice.example.com/twilio/voice?businessId=b1";
		String signature = TwilioSignature.sign(TOKEN, url, parameters);
		assertThat(new RequestValidator(TOKEN).validate(url, parameters, signature)).isTrue();
	}

	@Test
	void theStreamHandshakeIsSignedOverTheWssUrlWithNoParameters() {
		String url = "wss://voice.example.com/twilio-media";
		String signature = TwilioSignature.sign(TOKEN, url, Map.of());
		assertThat(new RequestValidator(TOKEN).validate(url, Map.of(), signature)).isTrue();
	}

	@Test
	void aDifferentUrlOrTokenDoesNotValidate() {
		String signature = TwilioSignature.sign(TOKEN, "https://a.example.com/twilio/voice", Map.of("CallSid", "CA1"));
		assertThat(new RequestValidator(TOKEN).validate("https://b.example.com/twilio/voice", Map.of("CallSid", "CA1"),
				signature)).isFalse();
		assertThat(new RequestValidator("another-token").validate("https://a.example.com/twilio/voice",
				Map.of("CallSid", "CA1"), signature)).isFalse();
	}

}

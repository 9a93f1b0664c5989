package dev.voicebridge.config;

import java.net.URI;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Twilio credentials and signature checking.
 *
 * @param accountSid {@code TWILIO_ACCOUNT_SID}
 * @param authToken {@code TWILIO_AUTH_TOKEN}; when set, every request from Twilio must be signed; never logged
 * @param phoneNumber {@code TWILIO_PHONE_NUMBER}, caller ID for outbound calls
 * @param validateSignatures {@code TWILIO_VALIDATE_SIGNATURES}; {@code false} turns checks off
 * @param apiBaseUrl {@code TWILIO_API_BASE_URL}: where Twilio REST calls go (Twilio-compatible providers, tests)
 */
@Validated
@ConfigurationProperties("voicebridge.twilio")
public record TwilioProperties(String accountSid, String authToken, String phoneNumber,
		@DefaultValue("true") boolean validateSignatures,
		@NotNull @DefaultValue("https://api.twilio.com") URI apiBaseUrl) {

	public TwilioProperties {
		accountSid = Blank.toNull(accountSid);
		authToken = Blank.toNull(authToken);
		phoneNumber = Blank.toNull(phoneNumber);
	}

	/** Whether the Twilio REST API can be used (outbound calls, changing a live call). */
	public boolean hasRestCredentials() {
		return this.accountSid != null && this.authToken != null;
	}

	/** Whether requests from Twilio must carry a valid {@code X-Twilio-Signature}. */
	public boolean checksSignatures() {
		return this.authToken != null && this.validateSignatures;
	}

	@Override
	public String toString() {
		return "TwilioProperties[accountSid=" + this.accountSid + ", authToken=" + (this.authToken == null ? "unset" : "****")
				+ ", phoneNumber=" + this.phoneNumber + ", validateSignatures=" + this.validateSignatures + ", apiBaseUrl="
				+ Secrets.withoutUserInfo(String.valueOf(this.apiBaseUrl)) + "]";
	}

}

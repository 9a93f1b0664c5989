package dev.voicebridge.twilio;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;

import com.fasterxml.jackson.core.JsonParseException;
import com.twilio.exception.ApiException;
import org.junit.jupiter.api.Test;

import org.springframework.http.ProblemDetail;

import dev.voicebridge.config.TwilioProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TwilioRefusal}: which of Twilio's answers are the client's to fix, which are a
 * 502, and that its messages lose our credentials.
 */
class TwilioRefusalTests {

	private static final String ACCOUNT_SID = "AC" + "0123456789abcdef".repeat(2);

	private final TwilioProperties twilio = new TwilioProperties(ACCOUNT_SID, "token-3", "+15005550001", true,
			URI.create("https://api.twilio.com"));

	@Test
	void twilios4xxAboutTheRequestKeepTheirStatusCodeAndMessage() {
		for (int code : new int[] { 21211, 21214, 21217, 13223, 21210 }) {
			ProblemDetail problem = problem(refusal(400, code, "Twilio's words for " + code));
			assertThat(problem.getStatus()).isEqualTo(400);
			assertThat(problem.getTitle()).isEqualTo("Twilio refused the call");
			assertThat(problem.getDetail()).isEqualTo("Twilio's words for " + code);
			assertThat(problem.getProperties()).containsEntry("twilioCode", code);
			assertThat(problem.getType()).hasToString("https://www.twilio.com/docs/errors/" + code);
		}
		assertThat(problem(refusal(429, 20429, "Too Many Requests")).getStatus()).isEqualTo(429);
	}

	@Test
	void ourCredentialsOrAccountBeingWrongIsA502NamingTheVariables() {
		assertThat(problem(refusal(401, 20003, "Authenticate")).getStatus()).isEqualTo(502);
		ProblemDetail forbidden = problem(refusal(403, 20003, "Permission Denied"));
		assertThat(forbidden.getStatus()).isEqualTo(502);
		assertThat(forbidden.getDetail()).contains("TWILIO_ACCOUNT_SID").contains("TWILIO_AUTH_TOKEN");
		ProblemDetail notFound = problem(refusal(404, 20404,
				"The requested resource /2010-04-01/Accounts/" + ACCOUNT_SID + "/Calls.json was not found"));
		assertThat(notFound.getStatus()).isEqualTo(502);
		assertThat(notFound.getDetail()).contains("TWILIO_API_BASE_URL").doesNotContain(ACCOUNT_SID);
	}

	@Test
	void twilioFailingOrOutOfReachIsA502() {
		assertThat(problem(refusal(503, 20503, "Service Unavailable")).getStatus()).isEqualTo(502);
		ProblemDetail refused = problem(new ApiException("Connect to https://api.twilio.com failed: Connection refused",
				new ConnectException("Connection refused")));
		assertThat(refused.getStatus()).isEqualTo(502);
		assertThat(refused.getTitle()).isEqualTo("Twilio could not be reached");
		ProblemDetail unreadable = problem(
				new ApiException("Unexpected character", new JsonParseException(null, "Unexpected character")));
		assertThat(unreadable.getStatus()).isEqualTo(502);
		assertThat(unreadable.getTitle()).as("an answer it could not read came from somewhere")
			.isEqualTo("Twilio could not place the call");
		assertThat(problem(new ApiException("Server Error, no content", 500)).getStatus()).isEqualTo(502);
		ProblemDetail dropped = problem(new ApiException("localhost:443 failed to respond", new IOException("dropped")));
		assertThat(dropped.getTitle()).isEqualTo("Twilio could not be reached");
		assertThat(dropped.getProperties()).as("no Twilio code without an answer").isNull();
	}

	@Test
	void messagesLoseTheAuthTokenAndAnyAccountSid() {
		assertThat(TwilioRefusal.redacted("token-3 for " + ACCOUNT_SID + " and AC" + "f".repeat(32), this.twilio))
			.isEqualTo("[redacted] for [redacted] and [redacted]");
		assertThat(TwilioRefusal.numbersMasked("The 'To' number +15005550006 is not a valid phone number."))
			.isEqualTo("The 'To' number ********0006 is not a valid phone number.");
	}

	private ProblemDetail problem(ApiException refusal) {
		return TwilioRefusal.problem(refusal, this.twilio);
	}

	private static ApiException refusal(int status, int code, String message) {
		return new ApiException(message, code, "https://www.twilio.com/docs/errors/" + code, status, null, null, null,
				null);
	}

}

package dev.voicebridge.twilio;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.twilio.exception.ApiException;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

import dev.voicebridge.config.Secrets;
import dev.voicebridge.config.TwilioProperties;

/**
 * The problem an admin gets when Twilio refuses to place a call. Twilio's 4xx about the request
 * (an invalid, unreachable or unverified number: 21211, 21214, 21217, 13223, 21210) are the
 * client's to fix and keep their status. 401 and 403 (our credentials) and 404 (our account) are
 * this server's configuration, so they are a 502 naming the variables to check, as are Twilio's
 * 5xx, answers without a status and a Twilio out of reach. Twilio's code and message are kept;
 * the account SID and the auth token never appear.
 */
final class TwilioRefusal {

	private static final Pattern ACCOUNT_SID = Pattern.compile("AC[0-9a-fA-F]{32}");

	private static final Pattern PHONE_NUMBER = Pattern.compile("\\+[0-9]{5,15}");

	private TwilioRefusal() {
	}

	static ProblemDetail problem(ApiException refusal, TwilioProperties twilio) {
		Integer status = refusal.getStatusCode();
		String message = redacted(refusal.getMessage(), twilio);
		ProblemDetail problem;
		if (status != null && (status == 401 || status == 403)) {
			problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, "Twilio answered " + status + " ("
					+ message + "): this server's Twilio credentials are wrong; check TWILIO_ACCOUNT_SID and "
					+ "TWILIO_AUTH_TOKEN");
			problem.setTitle("Twilio refused our credentials");
		}
		else if (status != null && status == 404) {
			problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, "Twilio answered 404 (" + message
					+ "): this server's Twilio account is wrong; check TWILIO_ACCOUNT_SID and TWILIO_API_BASE_URL");
			problem.setTitle("Twilio does not know our account");
		}
		else if (status != null && status >= 400 && status < 500) {
			problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), message);
			problem.setTitle("Twilio refused the call");
		}
		else if (status == null && refusal.getCause() instanceof IOException
				&& !(refusal.getCause() instanceof JsonProcessingException)) {
			// the SDK's HTTP client reports a refused or dropped connection this way (and a body it
			// cannot parse with Jackson's exception, an IOException too)
			problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, message);
			problem.setTitle("Twilio could not be reached");
		}
		else {
			problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, message);
			problem.setTitle("Twilio could not place the call");
		}
		if (refusal.getCode() != null) {
			problem.setProperty("twilioCode", refusal.getCode());
		}
		URI documentation = documentation(refusal.getMoreInfo());
		if (documentation != null) {
			// Twilio's page for the error code: what RFC 9457 means a problem type to lead to
			problem.setType(documentation);
		}
		return problem;
	}

	/** Twilio's message without our account SID (Twilio's 404 names the path) or auth token. */
	static String redacted(String message, TwilioProperties twilio) {
		if (message == null) {
			return "no message";
		}
		String text = message;
		for (String secret : new String[] { twilio.authToken(), twilio.accountSid() }) {
			if (secret != null) {
				text = text.replace(secret, "[redacted]");
			}
		}
		return ACCOUNT_SID.matcher(text).replaceAll("[redacted]");
	}

	/** For the log: Twilio's messages name the numbers, which logs show masked. */
	static String numbersMasked(String text) {
		return PHONE_NUMBER.matcher(text)
			.replaceAll((number) -> Matcher.quoteReplacement(Secrets.maskedNumber(number.group())));
	}

	private static URI documentation(String moreInfo) {
		if (moreInfo == null) {
			return null;
		}
		try {
			URI uri = new URI(moreInfo);
			return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) ? uri : null;
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

}

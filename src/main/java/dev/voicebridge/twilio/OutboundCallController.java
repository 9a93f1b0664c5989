package dev.voicebridge.twilio;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.http.HttpMethod;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.type.PhoneNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.voicebridge.config.TwilioProperties;

/**
 * Outbound test calls (admin token): {@code POST /calls} places a call through the Twilio REST
 * API that runs the same flow as an inbound one; {@code GET /test-call-realtime?to=} is its short
 * form. Problems, Twilio's included, come back as RFC 9457 problem details ({@link TwilioRefusal}).
 */
@RestController
class OutboundCallController {

	private static final Logger log = LoggerFactory.getLogger(OutboundCallController.class);

	private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

	private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,39}");

	private final TwilioRestConfiguration.TwilioRest rest;

	private final TwilioProperties twilio;

	private final PublicUrls urls;

	OutboundCallController(TwilioRestConfiguration.TwilioRest rest, TwilioProperties twilio, PublicUrls urls) {
		this.rest = rest;
		this.twilio = twilio;
		this.urls = urls;
	}

	/**
	 * What to call.
	 *
	 * @param to the number to call, E.164
	 * @param mode {@code stream} or {@code traditional}; the routing decides when absent
	 * @param parameters handed to the call as custom parameters, as on an inbound webhook's query
	 */
	record OutboundCallRequest(String to, String mode, Map<String, String> parameters) {
	}

	/** A placed call. */
	record PlacedCall(String callSid, String status, String to, String mode, String webhook) {
	}

	@PostMapping("/calls")
	ResponseEntity<?> place(@RequestBody OutboundCallRequest call, ServerHttpRequest request) {
		return place(call.to(), call.mode(), (call.parameters() != null) ? call.parameters() : Map.of(), request);
	}

	@GetMapping("/test-call-realtime")
	ResponseEntity<?> testCallRealtime(@RequestParam(name = "to", required = false) String to,
			ServerHttpRequest request) {
		return place(to, "stream", Map.of(), request);
	}

	private ResponseEntity<?> place(String to, String mode, Map<String, String> parameters, ServerHttpRequest request) {
		if (this.rest.client() == null || this.twilio.phoneNumber() == null) {
			return problem(HttpStatus.SERVICE_UNAVAILABLE, "Outbound calls are not configured",
					"Set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_PHONE_NUMBER (the caller ID) to place calls.");
		}
		String invalid = invalid(to, mode, parameters);
		if (invalid != null) {
			return problem(HttpStatus.BAD_REQUEST, "Invalid call request", invalid);
		}
		String webhook = webhook(this.urls.base(request), mode, parameters);
		try {
			Call placed = Call.creator(new PhoneNumber(to), new PhoneNumber(this.twilio.phoneNumber()), URI.create(webhook))
				.setMethod(HttpMethod.POST)
				.create(this.rest.client());
			log.info("[Webhook] outbound call placed callSid={} to={} mode={}", placed.getSid(),
					IncomingCallController.masked(to), (mode != null) ? mode : "routed");
			return ResponseEntity.status(HttpStatus.CREATED)
				.body(new PlacedCall(placed.getSid(), String.valueOf(placed.getStatus()), to, mode, webhook));
		}
		catch (ApiException ex) {
			ProblemDetail problem = TwilioRefusal.problem(ex, this.twilio);
			log.warn("[Webhook] outbound call to {} not placed: Twilio status {} code {}: {}; answering {}",
					IncomingCallController.masked(to), ex.getStatusCode(), ex.getCode(),
					TwilioRefusal.numbersMasked(problem.getDetail()),
					problem.getStatus());
			return ResponseEntity.status(problem.getStatus()).body(problem);
		}
		catch (ApiConnectionException ex) {
			log.warn("[Webhook] could not reach Twilio to place a call: {}", ex.getMessage());
			return problem(HttpStatus.BAD_GATEWAY, "Twilio could not be reached", ex.getMessage());
		}
	}

	static String invalid(String to, String mode, Map<String, String> parameters) {
		if (to == null || !E164.matcher(to).matches()) {
			return "'to' must be a phone number in E.164 form, such as +15551234567";
		}
		if (mode != null && !mode.equals("stream") && !mode.equals("traditional")) {
			return "'mode' must be 'stream' or 'traditional'";
		}
		if (parameters.size() > IncomingCallController.MAX_OPERATOR_PARAMETERS) {
			return "at most " + IncomingCallController.MAX_OPERATOR_PARAMETERS + " parameters";
		}
		for (Map.Entry<String, String> parameter : parameters.entrySet()) {
			if (!PARAMETER_NAME.matcher(parameter.getKey()).matches()
					|| IncomingCallController.TWILIO_PARAMETERS.contains(parameter.getKey())
					|| "mode".equals(parameter.getKey())) {
				return "parameter name '" + parameter.getKey() + "' is not allowed";
			}
			if (parameter.getValue() == null || parameter.getValue().length() > IncomingCallController.MAX_VALUE_LENGTH) {
				return "parameter '" + parameter.getKey() + "' needs a value of at most "
						+ IncomingCallController.MAX_VALUE_LENGTH + " characters";
			}
		}
		return null;
	}

	/** The voice webhook the call will ask for: mode and parameters ride on its query string. */
	static String webhook(String base, String mode, Map<String, String> parameters) {
		Map<String, String> query = new LinkedHashMap<>();
		if (mode != null) {
			query.put("mode", mode);
		}
		query.putAll(parameters);
		StringBuilder url = new StringBuilder(base).append(TwilioRoutes.VOICE);
		char separator = '?';
		for (Map.Entry<String, String> entry : query.entrySet()) {
			url.append(separator)
				.append(URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8))
				.append('=')
				.append(URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8));
			separator = '&';
		}
		return url.toString();
	}

	private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return ResponseEntity.status(status).body(problem);
	}

}

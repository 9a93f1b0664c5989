package dev.voicebridge.twilio;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.http.HttpMethod;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.type.PhoneNumber;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import dev.voicebridge.config.OutboundProperties;
import dev.voicebridge.config.Secrets;
import dev.voicebridge.config.TwilioProperties;
import dev.voicebridge.shared.SharedState;
import dev.voicebridge.web.PublicUrls;
import dev.voicebridge.web.TwilioRoutes;
import dev.voicebridge.web.WebhookRequest;

/**
 * Outbound test calls (admin token): {@code POST /calls} places a call through the Twilio REST
 * API that runs the same flow as an inbound one; {@code POST /test-call-realtime?to=} is its short
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

	private final OutboundProperties limits;

	private final SharedState state;

	private final Clock clock;

	private final Map<String, Counter> outcomes = new HashMap<>();

	OutboundCallController(TwilioRestConfiguration.TwilioRest rest, TwilioProperties twilio, PublicUrls urls,
			OutboundProperties limits, SharedState state, Clock clock, MeterRegistry meters) {
		this.rest = rest;
		this.twilio = twilio;
		this.urls = urls;
		this.limits = limits;
		this.state = state;
		this.clock = clock;
		for (String outcome : OUTCOMES) {
			this.outcomes.put(outcome, Counter.builder("voicebridge.outbound.calls")
				.description("POST /calls, by outcome: placed, or refused for its number, its rate or its set-up")
				.tag("outcome", outcome)
				.register(meters));
		}
	}

	static final List<String> OUTCOMES = List.of("placed", "not_allowed", "rate_limited", "not_configured", "failed");

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
	ResponseEntity<?> place(@RequestBody OutboundCallRequest call) {
		return place(call.to(), call.mode(), (call.parameters() != null) ? call.parameters() : Map.of());
	}

	/**
	 * The short form of {@code POST /calls} in stream mode, {@code to} in the query or the form.
	 * {@code POST} is the documented form; {@code GET} stays for the habit of older samples,
	 * although it places a call, and needs the admin token as well.
	 */
	@RequestMapping(path = "/test-call-realtime", method = { RequestMethod.GET, RequestMethod.POST })
	ResponseEntity<?> testCallRealtime(WebhookRequest request) {
		return place(request.parameter("to"), "stream", Map.of());
	}

	private ResponseEntity<?> place(String to, String mode, Map<String, String> parameters) {
		if (this.rest.client() == null || this.twilio.phoneNumber() == null) {
			return refused("not_configured", HttpStatus.SERVICE_UNAVAILABLE, "Outbound calls are not configured",
					"Set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_PHONE_NUMBER (the caller ID) to place calls.");
		}
		if (!this.urls.isConfigured()) {
			// the call's webhook must be this service's, whatever Host the request named
			return refused("not_configured", HttpStatus.SERVICE_UNAVAILABLE, "Outbound calls need the public URL",
					"Set PUBLIC_URL (or run on Railway, Render or Fly, whose URL is read from the platform): the call's "
							+ "webhook is never taken from the request's Host.");
		}
		String invalid = invalid(to, mode, parameters);
		if (invalid != null) {
			return problem(HttpStatus.BAD_REQUEST, "Invalid call request", invalid);
		}
		if (this.limits.allowedPrefixes().isEmpty()) {
			return refused("not_allowed", HttpStatus.FORBIDDEN, "No number may be dialled yet",
					"Set OUTBOUND_ALLOWED_PREFIXES to the E.164 prefixes calls may go to (for example +1, or +44,+353): "
							+ "none are allowed until then, so a leaked admin token cannot dial premium or international numbers.");
		}
		if (!this.limits.allows(to)) {
			log.warn("[Webhook] outbound call to {} refused: not in OUTBOUND_ALLOWED_PREFIXES {}",
					Secrets.maskedNumber(to), this.limits.allowedPrefixes());
			return refused("not_allowed", HttpStatus.FORBIDDEN, "Number not allowed",
					"'to' does not start with one of OUTBOUND_ALLOWED_PREFIXES " + this.limits.allowedPrefixes() + ".");
		}
		ResponseEntity<ProblemDetail> overLimit = overLimit();
		if (overLimit != null) {
			return overLimit;
		}
		String webhook = webhook(this.urls.configuredBase(), mode, parameters);
		try {
			Call placed = Call.creator(new PhoneNumber(to), new PhoneNumber(this.twilio.phoneNumber()), URI.create(webhook))
				.setMethod(HttpMethod.POST)
				.create(this.rest.client());
			this.outcomes.get("placed").increment();
			log.info("[Webhook] outbound call placed callSid={} to={} mode={}", placed.getSid(),
					Secrets.maskedNumber(to), (mode != null) ? mode : "routed");
			return ResponseEntity.status(HttpStatus.CREATED)
				.body(new PlacedCall(placed.getSid(), String.valueOf(placed.getStatus()), to, mode, webhook));
		}
		catch (ApiException ex) {
			this.outcomes.get("failed").increment();
			ProblemDetail problem = TwilioRefusal.problem(ex, this.twilio);
			log.warn("[Webhook] outbound call to {} not placed: Twilio status {} code {}: {}; answering {}",
					Secrets.maskedNumber(to), ex.getStatusCode(), ex.getCode(),
					TwilioRefusal.numbersMasked(problem.getDetail()),
					problem.getStatus());
			return ResponseEntity.status(problem.getStatus()).body(problem);
		}
		catch (ApiConnectionException ex) {
			this.outcomes.get("failed").increment();
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
		if (parameters.size() > WebhookRequest.MAX_OPERATOR_PARAMETERS) {
			return "at most " + WebhookRequest.MAX_OPERATOR_PARAMETERS + " parameters";
		}
		for (Map.Entry<String, String> parameter : parameters.entrySet()) {
			if (!PARAMETER_NAME.matcher(parameter.getKey()).matches()
					|| WebhookRequest.TWILIO_PARAMETERS.contains(parameter.getKey())
					|| "mode".equals(parameter.getKey())) {
				return "parameter name '" + parameter.getKey() + "' is not allowed";
			}
			if (parameter.getValue() == null || parameter.getValue().length() > WebhookRequest.MAX_VALUE_LENGTH) {
				return "parameter '" + parameter.getKey() + "' needs a value of at most "
						+ WebhookRequest.MAX_VALUE_LENGTH + " characters";
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

	/**
	 * The per-minute and per-day caps, counted in the shared state so that every instance
	 * behind one number draws on the same allowance; an unreadable state places nothing.
	 */
	private ResponseEntity<ProblemDetail> overLimit() {
		long now = this.clock.millis();
		long minute;
		long day;
		try {
			minute = this.state.increment("outbound:minute:" + (now / 60_000), Duration.ofMinutes(2));
			day = this.state.increment("outbound:day:" + LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC),
					Duration.ofDays(2));
		}
		catch (RuntimeException ex) {
			return refused("rate_limited", HttpStatus.SERVICE_UNAVAILABLE, "Outbound calls cannot be counted",
					"The shared state that counts calls against OUTBOUND_CALLS_PER_MINUTE and OUTBOUND_CALLS_PER_DAY "
							+ "does not answer; no call is placed uncounted.");
		}
		if (minute > this.limits.perMinute() || day > this.limits.perDay()) {
			boolean daily = day > this.limits.perDay();
			log.warn("[Webhook] outbound call refused: OUTBOUND_CALLS_PER_{} ({}) reached", daily ? "DAY" : "MINUTE",
					daily ? this.limits.perDay() : this.limits.perMinute());
			ResponseEntity<ProblemDetail> refused = refused("rate_limited", HttpStatus.TOO_MANY_REQUESTS,
					"Too many outbound calls",
					daily ? "OUTBOUND_CALLS_PER_DAY (" + this.limits.perDay() + ") calls were placed today (UTC)."
							: "OUTBOUND_CALLS_PER_MINUTE (" + this.limits.perMinute() + ") calls were placed this minute.");
			long retry = daily ? Duration.ofDays(1).toSeconds() - (now / 1000) % Duration.ofDays(1).toSeconds()
					: 60 - (now / 1000) % 60;
			return ResponseEntity.status(refused.getStatusCode())
				.header(HttpHeaders.RETRY_AFTER, Long.toString(retry))
				.body(refused.getBody());
		}
		return null;
	}

	private ResponseEntity<ProblemDetail> refused(String outcome, HttpStatus status, String title, String detail) {
		this.outcomes.get(outcome).increment();
		return problem(status, title, detail);
	}

	private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return ResponseEntity.status(status).body(problem);
	}

}

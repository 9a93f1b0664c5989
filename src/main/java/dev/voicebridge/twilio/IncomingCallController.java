package dev.voicebridge.twilio;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import dev.voicebridge.call.StreamAdmission;
import dev.voicebridge.call.StreamHandedOutEvent;
import dev.voicebridge.config.Secrets;
import dev.voicebridge.profiles.CallProfile;
import dev.voicebridge.profiles.Profiles;
import dev.voicebridge.routing.CallRouter;
import dev.voicebridge.routing.Route;
import dev.voicebridge.traditional.TraditionalMode;
import dev.voicebridge.web.PublicUrls;
import dev.voicebridge.web.TwilioRoutes;
import dev.voicebridge.web.WebhookMetrics;
import dev.voicebridge.web.WebhookRequest;

/**
 * Twilio's voice webhook: answers every call with TwiML that connects it to our media stream, or
 * starts it in traditional mode when the router says so.
 */
@RestController
public class IncomingCallController {

	private static final Logger log = LoggerFactory.getLogger(IncomingCallController.class);

	/** The call facts every stream receives as {@code <Parameter>}s. */
	private static final String[] CALL_PARAMETERS = { "CallSid", "From", "To", "Direction" };

	private static final Pattern CALL_SID = Pattern.compile("CA[A-Za-z0-9]{1,62}");

	/** The webhook URL's query parameter that forces a call's mode; it is routing, not call data. */
	static final String MODE_PARAMETER = "mode";

	private final PublicUrls urls;

	private final WebhookMetrics metrics;

	private final ApplicationEventPublisher events;

	private final CallRouter router;

	private final TraditionalMode traditional;

	private final Profiles profiles;

	private final StreamAdmission admission;

	IncomingCallController(PublicUrls urls, WebhookMetrics metrics, ApplicationEventPublisher events, CallRouter router,
			TraditionalMode traditional, Profiles profiles, StreamAdmission admission) {
		this.admission = admission;
		this.urls = urls;
		this.metrics = metrics;
		this.events = events;
		this.router = router;
		this.traditional = traditional;
		this.profiles = profiles;
	}

	@RequestMapping(path = TwilioRoutes.VOICE, method = { RequestMethod.GET, RequestMethod.POST })
	ResponseEntity<String> voice(WebhookRequest request) {
		Map<String, String> parameters = new LinkedHashMap<>();
		for (String name : CALL_PARAMETERS) {
			String value = request.parameter(name);
			if (value != null) {
				parameters.put(name, value);
			}
		}
		Map<String, String> operator = operatorParameters(request.queryString());
		String problem = invalid(parameters, operator);
		if (problem != null) {
			this.metrics.request("voice", "invalid");
			log.warn("[Webhook] refused an invalid voice webhook: {}", problem);
			return ResponseEntity.badRequest()
				.contentType(new MediaType("text", "plain", StandardCharsets.UTF_8))
				.body(problem + "\n");
		}
		String requestedMode = operator.remove(MODE_PARAMETER);
		operator.forEach(parameters::putIfAbsent);
		Profiles.Selection selection = this.profiles.select(operator.get(Profiles.BUSINESS_PARAMETER),
				operator.get(Profiles.PLAN_PARAMETER), lineNumber(parameters));
		CallProfile profile = selection.profile();
		// the stream finds its profile by these (a plan the profile does not have is not passed on);
		// without a profiles file there is only one, and the TwiML stays as it always was
		if (this.profiles.file() != null) {
			parameters.put(Profiles.PROFILE_PARAMETER, profile.id());
			if (profile.plan() != null) {
				parameters.put(Profiles.PLAN_PARAMETER, profile.plan());
			}
			else {
				parameters.remove(Profiles.PLAN_PARAMETER);
			}
		}
		String base = this.urls.base(request.request());
		String streamUrl = PublicUrls.streamUrl(base);
		// the doctor's probe is no call: keep it out of the funnel so it cannot look like a lost
		// stream, and out of routing, since what it checks is the Stream URL
		boolean probe = request.probe();
		Route route = probe ? null : this.router.route(requestedMode, profile);
		if (route != null && !route.isStream()) {
			String callSid = parameters.get("CallSid");
			boolean draining = "draining".equals(route.reason());
			// "answered" means handed a Stream URL: the upgrade funnel and its alert count on that
			this.metrics.request("voice", draining ? "fallback" : "traditional");
			log.info("[Webhook] incoming call callSid={} direction={} from={} profile={} ({}) -> traditional mode ({})",
					callSid, Secrets.forLog(parameters.get("Direction"), 40), Secrets.maskedNumber(parameters.get("From")), profile.label(),
					selection.reason(), route.reason());
			return ResponseEntity.ok().contentType(WebhookRequest.TWIML).body(this.traditional.begin(callSid, base, false, profile));
		}
		if (this.admission instanceof StreamTokens tokens) {
			// binds the stream to this call: its start must name the same CallSid and AccountSid
			parameters.put(StreamTokens.PARAMETER, tokens.issue(parameters.get("CallSid"), request.parameter("AccountSid")));
		}
		this.metrics.request("voice", probe ? "probe" : "answered");
		if (parameters.containsKey("CallSid") && !probe) {
			this.events.publishEvent(new StreamHandedOutEvent(parameters.get("CallSid"), streamUrl));
		}
		log.info("[Webhook] incoming call callSid={} direction={} from={} profile={} ({}) -> Stream URL {}",
				parameters.get("CallSid"), Secrets.forLog(parameters.get("Direction"), 40), Secrets.maskedNumber(parameters.get("From")), profile.label(),
				selection.reason(), Secrets.withoutUserInfo(streamUrl));
		return ResponseEntity.ok()
			.contentType(WebhookRequest.TWIML)
			.body(TwimlFactory.connectStream(base, streamUrl, parameters,
					(this.profiles.file() != null) ? profileQuery(profile) : null));
	}

	/** The business's own number: the called one of an incoming call, the caller ID of an outbound one. */
	static String lineNumber(Map<String, String> call) {
		String direction = call.get("Direction");
		return (direction != null && direction.startsWith("outbound")) ? call.get("From") : call.get("To");
	}

	/**
	 * The Connect action's query when a profiles file is in use: it names the call's profile, so
	 * whichever instance Twilio asks serves the profile's fallback (the signature covers it).
	 * Without a file the action stays as it always was.
	 */
	static String profileQuery(CallProfile profile) {
		String query = Profiles.PROFILE_PARAMETER + "=" + URLEncoder.encode(profile.id(), StandardCharsets.UTF_8);
		return (profile.plan() != null)
				? query + "&" + Profiles.PLAN_PARAMETER + "=" + URLEncoder.encode(profile.plan(), StandardCharsets.UTF_8)
				: query;
	}

	/**
	 * What is wrong with a webhook's input, or null. Twilio always sends a CallSid; values and
	 * parameters are bounded because they travel into TwiML and on to the stream.
	 */
	static String invalid(Map<String, String> call, Map<String, String> operator) {
		String callSid = call.get("CallSid");
		if (callSid == null || callSid.isBlank()) {
			return "missing CallSid: " + TwilioRoutes.VOICE + " answers Twilio's voice webhook for a call";
		}
		if (!CALL_SID.matcher(callSid).matches()) {
			return "CallSid is not a Twilio call SID (CA followed by letters and digits)";
		}
		if (operator.size() > WebhookRequest.MAX_OPERATOR_PARAMETERS) {
			return "too many query parameters on the webhook URL (" + operator.size() + " > " + WebhookRequest.MAX_OPERATOR_PARAMETERS
					+ ")";
		}
		for (Map<String, String> parameters : List.of(call, operator)) {
			for (Map.Entry<String, String> entry : parameters.entrySet()) {
				if (entry.getKey().length() > WebhookRequest.MAX_VALUE_LENGTH || entry.getValue().length() > WebhookRequest.MAX_VALUE_LENGTH) {
					return "parameter " + entry.getKey().substring(0, Math.min(40, entry.getKey().length()))
							+ " is longer than " + WebhookRequest.MAX_VALUE_LENGTH + " characters";
				}
			}
		}
		return null;
	}

	/**
	 * The operator's own query parameters on the webhook URL ({@code ?businessId=b1}), which
	 * reach the stream as custom parameters instead of breaking the Stream URL.
	 */
	static Map<String, String> operatorParameters(String query) {
		Map<String, String> parameters = new LinkedHashMap<>();
		QueryString.parse(query).forEach((name, values) -> {
			if (!name.isEmpty() && !WebhookRequest.TWILIO_PARAMETERS.contains(name)) {
				parameters.put(name, values.get(0));
			}
		});
		return parameters;
	}

}

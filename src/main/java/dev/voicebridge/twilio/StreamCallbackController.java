package dev.voicebridge.twilio;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import dev.voicebridge.call.CallOutcome;
import dev.voicebridge.call.CallRegistry;
import dev.voicebridge.call.StreamErrorEvent;
import dev.voicebridge.config.Secrets;
import dev.voicebridge.profiles.CallProfile;
import dev.voicebridge.profiles.Profiles;
import dev.voicebridge.routing.CallRouter;
import dev.voicebridge.traditional.TraditionalMode;
import dev.voicebridge.web.PublicUrls;
import dev.voicebridge.web.TwilioRoutes;
import dev.voicebridge.web.WebhookMetrics;
import dev.voicebridge.web.WebhookRequest;

/**
 * Twilio's callbacks about a stream: its status events, and the {@code <Connect>} action that
 * asks what the call does once the stream has ended.
 */
@RestController
class StreamCallbackController {

	private static final Logger log = LoggerFactory.getLogger(StreamCallbackController.class);

	private final CallRegistry calls;

	private final WebhookMetrics metrics;

	private final Profiles profiles;

	private final ApplicationEventPublisher events;

	private final CallRouter router;

	private final TraditionalMode traditional;

	private final PublicUrls urls;

	StreamCallbackController(CallRegistry calls, WebhookMetrics metrics, Profiles profiles,
			ApplicationEventPublisher events, CallRouter router, TraditionalMode traditional, PublicUrls urls) {
		this.calls = calls;
		this.metrics = metrics;
		this.profiles = profiles;
		this.events = events;
		this.router = router;
		this.traditional = traditional;
		this.urls = urls;
	}

	/** Twilio's SIDs: two letters and 32 hex digits; a little wider, never free text. */
	private static final Pattern CALL_SID = Pattern.compile("CA[A-Za-z0-9]{1,62}");

	private static final Pattern STREAM_SID = Pattern.compile("MZ[A-Za-z0-9]{1,62}");

	/** Twilio's stream errors are a sentence; this bounds what reaches the log and the journal. */
	static final int MAX_ERROR_CHARS = 300;

	private static final MediaType PLAIN = new MediaType("text", "plain", StandardCharsets.UTF_8);

	@PostMapping(TwilioRoutes.STREAM_STATUS)
	ResponseEntity<?> status(WebhookRequest request) {
		String event = request.parameter("StreamEvent");
		String callSid = request.parameter("CallSid");
		String streamSid = request.parameter("StreamSid");
		String problem = invalidSids(callSid, streamSid);
		if (problem != null) {
			this.metrics.request("stream-status", "invalid");
			log.warn("[Webhook] refused a stream status callback: {}", problem);
			return ResponseEntity.badRequest().contentType(PLAIN).body(problem + "\n");
		}
		String error = Secrets.forLog(request.parameter("StreamError"), MAX_ERROR_CHARS);
		this.metrics.request("stream-status", "answered");
		this.metrics.streamEvent((event != null) ? event : "other");
		if ("stream-error".equals(event)) {
			log.warn("[Stream] Twilio reports stream-error callSid={} streamSid={}: {}", callSid, streamSid, error);
			this.events.publishEvent(new StreamErrorEvent(callSid, streamSid, error));
		}
		else {
			log.info("[Stream] Twilio reports {} callSid={} streamSid={}", Secrets.forLog(event, 40), callSid, streamSid);
		}
		return ResponseEntity.noContent().build();
	}

	/** What is wrong with a callback's SIDs, or null: they reach logs, the shared state and the journal. */
	static String invalidSids(String callSid, String streamSid) {
		if (callSid != null && !CALL_SID.matcher(callSid).matches()) {
			return "CallSid is not a Twilio call SID (CA followed by letters and digits)";
		}
		if (streamSid != null && !STREAM_SID.matcher(streamSid).matches()) {
			return "StreamSid is not a Twilio stream SID (MZ followed by letters and digits)";
		}
		return null;
	}

	@RequestMapping(path = TwilioRoutes.STREAM_ACTION, method = { RequestMethod.GET, RequestMethod.POST })
	ResponseEntity<String> action(WebhookRequest request) {
		String callSid = request.parameter("CallSid");
		String problem = invalidSids(callSid, null);
		if (problem != null) {
			this.metrics.request("stream-action", "invalid");
			log.warn("[Webhook] refused a Connect action: {}", problem);
			return ResponseEntity.badRequest().contentType(PLAIN).body(problem + "\n");
		}
		this.metrics.request("stream-action", "answered");
		String transfer = (callSid != null) ? this.calls.transferFor(callSid).orElse(null) : null;
		if (transfer != null) {
			log.info("[Webhook] stream ended callSid={} -> transfer as the agent asked", callSid);
			return ResponseEntity.ok().contentType(WebhookRequest.TWIML).body(TwimlFactory.dial(transfer));
		}
		CallRegistry.Ended end = (callSid != null) ? this.calls.endOf(callSid).orElse(null) : null;
		CallOutcome outcome = (end != null) ? end.outcome() : null;
		// the call's own profile when it ended here, else the one the action's URL names
		CallProfile profile = (end != null && end.profile() != null) ? end.profile()
				: this.profiles.forStream(request.parameter(Profiles.PROFILE_PARAMETER),
						request.parameter(Profiles.PLAN_PARAMETER));
		boolean served = outcome == CallOutcome.CALLER_HUNG_UP || outcome == CallOutcome.COMPLETED;
		if (!served && this.router.failsOver(callSid, end)) {
			log.info("[Webhook] stream ended callSid={} outcome={} -> traditional mode (failover)", callSid,
					(outcome != null) ? outcome.tag() : "never started");
			return ResponseEntity.ok()
				.contentType(WebhookRequest.TWIML)
				.body(this.traditional.begin(callSid, this.urls.base(request.request()), true, profile));
		}
		log.info("[Webhook] stream ended callSid={} outcome={} -> {}", callSid,
				(outcome != null) ? outcome.tag() : "unknown", served ? "hang up" : "fallback");
		String twiml = served ? TwimlFactory.hangup()
				: TwimlFactory.fallback(profile.fallbackMessage(), profile.fallbackNumber());
		return ResponseEntity.ok().contentType(WebhookRequest.TWIML).body(twiml);
	}

}

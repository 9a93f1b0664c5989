package dev.voicebridge.twilio;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import dev.voicebridge.call.CallOutcome;
import dev.voicebridge.call.CallRegistry;
import dev.voicebridge.profiles.CallProfile;
import dev.voicebridge.profiles.Profiles;
import dev.voicebridge.routing.CallRouter;
import dev.voicebridge.traditional.TraditionalMode;

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

	@PostMapping(TwilioRoutes.STREAM_STATUS)
	ResponseEntity<Void> status(WebhookRequest request) {
		String event = request.parameter("StreamEvent");
		String callSid = request.parameter("CallSid");
		String streamSid = request.parameter("StreamSid");
		String error = request.parameter("StreamError");
		this.metrics.request("stream-status", "answered");
		this.metrics.streamEvent((event != null) ? event : "other");
		if ("stream-error".equals(event)) {
			log.warn("[Stream] Twilio reports stream-error callSid={} streamSid={}: {}", callSid, streamSid, error);
			this.events.publishEvent(new StreamErrorEvent(callSid, streamSid, error));
		}
		else {
			log.info("[Stream] Twilio reports {} callSid={} streamSid={}", event, callSid, streamSid);
		}
		return ResponseEntity.noContent().build();
	}

	@RequestMapping(path = TwilioRoutes.STREAM_ACTION, method = { RequestMethod.GET, RequestMethod.POST })
	ResponseEntity<String> action(WebhookRequest request) {
		String callSid = request.parameter("CallSid");
		this.metrics.request("stream-action", "answered");
		String transfer = (callSid != null) ? this.calls.transferFor(callSid).orElse(null) : null;
		if (transfer != null) {
			log.info("[Webhook] stream ended callSid={} -> transfer as the agent asked", callSid);
			return ResponseEntity.ok().contentType(IncomingCallController.TWIML).body(TwimlFactory.dial(transfer));
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
				.contentType(IncomingCallController.TWIML)
				.body(this.traditional.begin(callSid, this.urls.base(request.request()), true, profile));
		}
		log.info("[Webhook] stream ended callSid={} outcome={} -> {}", callSid,
				(outcome != null) ? outcome.tag() : "unknown", served ? "hang up" : "fallback");
		String twiml = served ? TwimlFactory.hangup()
				: TwimlFactory.fallback(profile.fallbackMessage(), profile.fallbackNumber());
		return ResponseEntity.ok().contentType(IncomingCallController.TWIML).body(twiml);
	}

}

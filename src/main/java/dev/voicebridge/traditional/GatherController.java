package dev.voicebridge.traditional;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.voicebridge.profiles.Profiles;
import dev.voicebridge.web.PublicUrls;
import dev.voicebridge.web.TwilioRoutes;
import dev.voicebridge.web.WebhookMetrics;
import dev.voicebridge.web.WebhookRequest;

/**
 * {@code POST /twilio/gather}: Twilio's {@code <Gather>} action, one caller turn of traditional mode.
 */
@RestController
class GatherController {

	private static final Logger log = LoggerFactory.getLogger(GatherController.class);

	private static final Pattern CALL_SID = Pattern.compile("CA[A-Za-z0-9]{1,62}");

	private final TraditionalMode traditional;

	private final PublicUrls urls;

	private final WebhookMetrics metrics;

	private final Profiles profiles;

	GatherController(TraditionalMode traditional, PublicUrls urls, WebhookMetrics metrics, Profiles profiles) {
		this.profiles = profiles;
		this.traditional = traditional;
		this.urls = urls;
		this.metrics = metrics;
	}

	@PostMapping(TwilioRoutes.GATHER)
	ResponseEntity<String> gather(WebhookRequest request) {
		String callSid = request.parameter("CallSid");
		String speech = request.parameter("SpeechResult");
		if (callSid == null || !CALL_SID.matcher(callSid).matches()) {
			this.metrics.request("gather", "invalid");
			log.warn("[Webhook] refused a gather without a valid CallSid");
			return ResponseEntity.badRequest()
				.contentType(new MediaType("text", "plain", StandardCharsets.UTF_8))
				.body("missing or invalid CallSid: " + TwilioRoutes.GATHER + " answers Twilio's <Gather> for a call\n");
		}
		this.metrics.request("gather", "answered");
		return ResponseEntity.ok().contentType(WebhookRequest.TWIML).body(this.traditional.turn(callSid, speech, request.parameter("Digits"),
				this.profiles.forStream(request.parameter(Profiles.PROFILE_PARAMETER), request.parameter(Profiles.PLAN_PARAMETER)),
				this.urls.base(request.request())));
	}

}

package dev.voicebridge.diagnostics;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.handler.AbstractUrlHandlerMapping;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.util.pattern.PathPattern;

import dev.voicebridge.call.CallRegistry;
import dev.voicebridge.call.CallSession;
import dev.voicebridge.config.AdminAccess;
import dev.voicebridge.config.Secrets;
import dev.voicebridge.config.SignaturePolicy;
import dev.voicebridge.config.Upstream;
import dev.voicebridge.events.CallEvents;
import dev.voicebridge.profiles.Profiles;
import dev.voicebridge.routing.CallRouter;
import dev.voicebridge.routing.RoutingStatus;
import dev.voicebridge.web.PublicUrls;

/**
 * Where an operator looks first: {@code /websocket-status} as JSON, {@code /status} as a page.
 * Both say where the chain from Twilio to OpenAI breaks. Neither shows a secret.
 */
@RestController
class StatusController {

	private static final MediaType HTML = new MediaType("text", "html", StandardCharsets.UTF_8);

	private final FunnelReader funnel;

	private final DiagnosticsJournal journal;

	private final PublicUrls urls;

	private final CallRegistry calls;

	private final SignaturePolicy policy;

	private final ApplicationContext context;

	private final ObjectProvider<CallRouter> router;

	private final ObjectProvider<Profiles> profiles;

	private final ObjectProvider<CallEvents> callEvents;

	private final AdminAccess access;

	private final boolean everyoneSeesAll;

	StatusController(FunnelReader funnel, DiagnosticsJournal journal, PublicUrls urls, CallRegistry calls,
			SignaturePolicy policy, ApplicationContext context, ObjectProvider<CallRouter> router,
			ObjectProvider<Profiles> profiles, ObjectProvider<CallEvents> callEvents, AdminAccess access,
			DiagnosticsProperties properties) {
		this.access = access;
		this.everyoneSeesAll = properties.isPublic();
		this.router = router;
		this.callEvents = callEvents;
		this.profiles = profiles;
		this.funnel = funnel;
		this.journal = journal;
		this.urls = urls;
		this.calls = calls;
		this.policy = policy;
		this.context = context;
	}

	@GetMapping(path = "/websocket-status", produces = MediaType.APPLICATION_JSON_VALUE)
	StatusReport websocketStatus(ServerHttpRequest request) {
		return report(request);
	}

	@GetMapping("/status")
	ResponseEntity<String> status(ServerHttpRequest request) {
		return ResponseEntity.ok().contentType(HTML).body(StatusPage.render(report(request)));
	}

	StatusReport report(ServerHttpRequest request) {
		String base = this.urls.base(request);
		String streamUrl = PublicUrls.streamUrl(base);
		FunnelSnapshot snapshot = this.funnel.read();
		// who sent what, and whether signatures are checked, is for the operator: a stranger who
		// learns that nothing is checked knows where to knock
		boolean operator = this.everyoneSeesAll || this.access.grants(request);
		List<UpgradeAttempt> attempts = this.journal.attempts();
		List<StreamErrorReport> errors = this.journal.streamErrors();
		if (!operator) {
			attempts = attempts.stream().map(UpgradeAttempt::withoutClient).toList();
			errors = errors.stream().map(StreamErrorReport::withoutCallSid).toList();
		}
		List<Finding> diagnosis = new ArrayList<>(DiagnosisRules.diagnose(new DiagnosisRules.Input(snapshot, errors,
				attempts, this.urls.isConfigured() ? URI.create(this.urls.configuredBase()) : null, streamUrl)));
		Profiles known = this.profiles.getIfAvailable();
		StatusReport.UpstreamStatus upstream = null;
		StatusReport.ProfilesStatus profiles = null;
		if (known != null) {
			Upstream of = known.defaultProfile().upstream();
			upstream = new StatusReport.UpstreamStatus(of.kind(), of.host(), of.auth().wireName(), of.model());
			profiles = profilesStatus(known);
			if (known.lastReload().refused()) {
				diagnosis.add(0, new Finding("profiles-file-refused", "warning",
						"The changed profiles file was refused; the profiles before it are still in force",
						known.lastReload().error(),
						"Fix the file: it is reloaded once it validates (or POST /admin/profiles/reload with the admin token)."));
			}
		}
		if (operator && this.policy == SignaturePolicy.OFF) {
			diagnosis.add(0, new Finding("signatures-off", "error",
					"Signature checks are switched off (TWILIO_VALIDATE_SIGNATURES=false): anyone who finds this URL can "
							+ "call the webhooks and open streams on your OpenAI key.",
					"TWILIO_VALIDATE_SIGNATURES=false is set.",
					"Remove TWILIO_VALIDATE_SIGNATURES and set TWILIO_AUTH_TOKEN; if signatures fail behind a proxy, set "
							+ "PUBLIC_URL to the origin Twilio calls instead of switching the checks off."));
		}
		if (this.policy == SignaturePolicy.REFUSING) {
			diagnosis.add(0, new Finding("unsigned-streams-refused", "error",
					"Streams and traditional-mode turns are refused: this service has an OpenAI key but no "
							+ "TWILIO_AUTH_TOKEN, so it cannot tell Twilio from anyone else spending the key.",
					this.funnel.read().rejectedByReason().getOrDefault("unsigned", 0L) + " stream handshake(s) refused "
							+ "for this since start-up; callers hear the fallback message.",
					"Set TWILIO_AUTH_TOKEN to the auth token of your Twilio account (console, Account info). To "
							+ "accept unsigned requests anyway, set TWILIO_VALIDATE_SIGNATURES=false."));
		}
		CallEvents events = this.callEvents.getIfAvailable();
		CallEvents.Status delivery = (events != null) ? events.status() : null;
		if (delivery != null && delivery.receiverDown()) {
			diagnosis.add(0, new Finding("call-events-receiver-down", "warning",
					"Call records are not reaching CALL_EVENTS_URL (" + delivery.host() + ")",
					delivery.failuresInARow() + " failed deliveries in a row, the last: " + delivery.lastError() + "; "
							+ delivery.pending() + " record(s) waiting",
					"Check the receiver at " + delivery.host() + ": records wait and are retried, up to the configured "
							+ "bound (voicebridge.calls.events-max-pending, events-max-age)."));
		}
		return new StatusReport(Secrets.withoutUserInfo(base), this.urls.isConfigured() ? "PUBLIC_URL" : "request",
				Secrets.withoutUserInfo(streamUrl),
				this.calls.agentName(), operator ? this.policy.checks() : null, routes(), snapshot, attempts, errors,
				diagnosis, routing(), upstream, profiles, delivery, operator ? StatusReport.ADMIN : StatusReport.PUBLIC);
	}

	private StatusReport.ProfilesStatus profilesStatus(Profiles profiles) {
		Map<String, Long> active = new TreeMap<>();
		for (CallSession call : this.calls.active()) {
			if (call.profile() != null) {
				active.merge(call.profile().id(), 1L, Long::sum);
			}
		}
		Profiles.ReloadStatus reload = profiles.lastReload();
		return new StatusReport.ProfilesStatus((profiles.file() != null) ? profiles.file().toString() : null,
				List.copyOf(profiles.ids()), profiles.defaultProfile().id(), reload.outcome(), reload.error(), reload.at(),
				active);
	}

	/** Absent where routing is not part of the context (slices). */
	private RoutingStatus routing() {
		CallRouter callRouter = this.router.getIfAvailable();
		return (callRouter != null) ? callRouter.status() : null;
	}

	private StatusReport.Routes routes() {
		TreeSet<String> http = new TreeSet<>();
		for (RequestMappingInfoHandlerMapping mapping : this.context.getBeansOfType(RequestMappingInfoHandlerMapping.class)
			.values()) {
			for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
				String methods = info.getMethodsCondition().getMethods().isEmpty() ? "ANY"
						: String.join(",", new TreeSet<>(info.getMethodsCondition().getMethods().stream().map(Enum::name).toList()));
				info.getPatternsCondition().getPatterns()
					.forEach((pattern) -> http.add(methods + " " + pattern.getPatternString()));
			}
		}
		TreeSet<String> websocket = new TreeSet<>();
		for (AbstractUrlHandlerMapping mapping : this.context.getBeansOfType(AbstractUrlHandlerMapping.class).values()) {
			for (Map.Entry<PathPattern, Object> entry : mapping.getHandlerMap().entrySet()) {
				if (entry.getValue() instanceof WebSocketHandler) {
					websocket.add(entry.getKey().getPatternString());
				}
			}
		}
		return new StatusReport.Routes(List.copyOf(http), List.copyOf(websocket));
	}

}

package dev.voicebridge.call;

import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /admin/calls}: the calls in progress on this instance (admin token required).
 */
@RestController
class ActiveCallsController {

	private final CallRegistry calls;

	ActiveCallsController(CallRegistry calls) {
		this.calls = calls;
	}

	@GetMapping("/admin/calls")
	List<ActiveCall> activeCalls() {
		return this.calls.active()
			.stream()
			.map((call) -> new ActiveCall(call.callSid(), call.streamSid(), call.agentName(),
					(call.profile() != null) ? call.profile().id() : null,
					(call.profile() != null) ? call.profile().plan() : null, call.seconds(), call.usage().byKind(),
					call.estimatedCost()))
			.toList();
	}

	/**
	 * One call in progress; {@code callSid} and its profile are null until Twilio's {@code start}
	 * arrived. {@code tokens} by kind so far, and their {@code estimatedCost} when a price is set.
	 */
	record ActiveCall(String callSid, String streamSid, String agent, String profile, String plan, long seconds,
			Map<String, Long> tokens, Double estimatedCost) {
	}

}

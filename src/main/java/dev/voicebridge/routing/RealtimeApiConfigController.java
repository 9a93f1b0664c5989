package dev.voicebridge.routing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.voicebridge.config.Secrets;

/**
 * {@code GET} and {@code POST /realtime-api-config?probability=}: the share of new calls that use
 * the stream, read and changed at run time by an admin (bearer token), for every instance that
 * shares the state.
 */
@RestController
class RealtimeApiConfigController {

	private static final Logger log = LoggerFactory.getLogger(RealtimeApiConfigController.class);

	static final String PATH = "/realtime-api-config";

	private final RealtimeProbability probability;

	RealtimeApiConfigController(RealtimeProbability probability) {
		this.probability = probability;
	}

	@GetMapping(PATH)
	RealtimeApiConfig read() {
		return current();
	}

	@PostMapping(PATH)
	ResponseEntity<?> change(@RequestParam(name = "probability", required = false) String value) {
		double requested;
		try {
			requested = Double.parseDouble((value != null) ? value.strip() : "");
		}
		catch (NumberFormatException ex) {
			requested = Double.NaN;
		}
		if (!(requested >= 0.0 && requested <= 1.0)) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
					"probability must be a number from 0.0 to 1.0, was "
							+ ((value == null) ? "missing" : "'" + Secrets.forLog(value, 40) + "'"));
			problem.setTitle("Invalid realtime probability");
			return ResponseEntity.badRequest().body(problem);
		}
		double previous = this.probability.current();
		try {
			this.probability.set(requested);
		}
		catch (RuntimeException ex) {
			// the shared state (Redis) did not take it: every instance must see the same value
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
					"the shared state did not store the new probability; try again: " + ex.getMessage());
			problem.setTitle("Shared state unavailable");
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(problem);
		}
		log.info("[Routing] realtime probability changed by an admin: {} -> {}", previous, requested);
		return ResponseEntity.ok(current());
	}

	private RealtimeApiConfig current() {
		return new RealtimeApiConfig(this.probability.current(), this.probability.configured(),
				this.probability.source());
	}

	/**
	 * @param probability the share of new calls that use the stream now
	 * @param configured {@code REALTIME_PROBABILITY}
	 * @param source {@code admin} when changed at run time, else {@code REALTIME_PROBABILITY}
	 */
	record RealtimeApiConfig(double probability, double configured, String source) {
	}

}

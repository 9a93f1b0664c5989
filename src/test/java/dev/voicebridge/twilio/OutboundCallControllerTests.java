package dev.voicebridge.twilio;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.twilio.http.TwilioRestClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;

import dev.voicebridge.config.BridgeProperties;
import dev.voicebridge.config.OutboundProperties;
import dev.voicebridge.config.TwilioProperties;
import dev.voicebridge.shared.InMemorySharedState;
import dev.voicebridge.web.PublicUrls;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The refusals of {@code POST /calls} that come before Twilio is asked: a leaked admin token
 * dials nothing by default, nothing outside the allowed prefixes, and never a webhook on a host
 * the request named.
 */
class OutboundCallControllerTests {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final InMemorySharedState state = new InMemorySharedState();

	@Test
	void noNumberIsDialledUntilThePrefixesAreSet() {
		ResponseEntity<?> answer = controller("https://voice.example.com", List.of())
			.place(new OutboundCallController.OutboundCallRequest("+19005550100", null, null));
		assertThat(answer.getStatusCode().value()).isEqualTo(403);
		assertThat(detail(answer)).contains("OUTBOUND_ALLOWED_PREFIXES");
		assertThat(refused("not_allowed")).isEqualTo(1);
	}

	@Test
	void aNumberOutsideThePrefixesIsRefusedAndNotCountedAgainstTheCaps() {
		ResponseEntity<?> answer = controller("https://voice.example.com", List.of("+1"))
			.place(new OutboundCallController.OutboundCallRequest("+882345678901", null, null));
		assertThat(answer.getStatusCode().value()).isEqualTo(403);
		assertThat(detail(answer)).contains("[+1]");
		assertThat(this.state.increment("outbound:minute:" + (System.currentTimeMillis() / 60_000), Duration.ofMinutes(2)))
			.as("the refused call took nothing from the allowance").isEqualTo(1);
	}

	@Test
	void withoutAPublicUrlNoCallIsPlacedWhateverHostTheRequestNamed() {
		ResponseEntity<?> answer = controller(null, List.of("+1"))
			.place(new OutboundCallController.OutboundCallRequest("+15005550006", null, Map.of()));
		assertThat(answer.getStatusCode().value()).isEqualTo(503);
		assertThat(detail(answer)).contains("PUBLIC_URL").contains("never taken from the request's Host");
		assertThat(refused("not_configured")).isEqualTo(1);
	}

	private OutboundCallController controller(String publicUrl, List<String> prefixes) {
		TwilioProperties twilio = new TwilioProperties("ACunit", "unit-token", "+15005550001", true,
				URI.create("https://api.twilio.com"));
		BridgeProperties bridge = new BridgeProperties((publicUrl != null) ? URI.create(publicUrl) : null, null,
				Duration.ofSeconds(30), new BridgeProperties.Fallback("sorry", null),
				new BridgeProperties.Media(DataSize.ofKilobytes(16), Duration.ofSeconds(10), DataSize.ofMegabytes(1),
						Duration.ofSeconds(5)));
		return new OutboundCallController(
				new TwilioRestConfiguration.TwilioRest(new TwilioRestClient.Builder("ACunit", "unit-token").build()),
				twilio, new PublicUrls(bridge), new OutboundProperties(prefixes, 5, 100), this.state,
				Clock.systemUTC(), this.meters);
	}

	private static String detail(ResponseEntity<?> answer) {
		return ((ProblemDetail) answer.getBody()).getDetail();
	}

	private double refused(String outcome) {
		return this.meters.counter("voicebridge.outbound.calls", "outcome", outcome).count();
	}

}

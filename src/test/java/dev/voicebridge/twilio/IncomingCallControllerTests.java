package dev.voicebridge.twilio;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import dev.voicebridge.call.CallRegistry;
import dev.voicebridge.call.StreamAdmission;
import dev.voicebridge.config.BridgeProperties;
import dev.voicebridge.profiles.Profiles;
import dev.voicebridge.routing.CallMode;
import dev.voicebridge.routing.CallRouter;
import dev.voicebridge.routing.Route;
import dev.voicebridge.testing.TestProfiles;
import dev.voicebridge.traditional.TraditionalMode;
import dev.voicebridge.web.PublicUrls;
import dev.voicebridge.web.WebhookMetrics;


import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;


/**
 * With {@code PUBLIC_URL} set, every URL in the TwiML comes from it, whatever the request says.
 */
@WebFluxTest(controllers = { IncomingCallController.class, StreamCallbackController.class },
		properties = "voicebridge.public-url=https://voice.example.com/")
@EnableConfigurationProperties(BridgeProperties.class)
@Import({ PublicUrls.class, WebhookMetrics.class, SimpleMeterRegistry.class, IncomingCallControllerTests.Implicit.class })
class IncomingCallControllerTests {


	@Autowired
	private WebTestClient client;

	@MockitoBean
	private CallRegistry calls;

	@MockitoBean
	private CallRouter router;

	@MockitoBean
	private TraditionalMode traditional;

	@BeforeEach
	void routeToTheStream() {
		given(this.router.route(any(), any())).willReturn(new Route(CallMode.STREAM, "probability"));
	}

	@Test
	void publicUrlDecidesEveryUrlInTheTwiml() throws Exception {
		this.client.post()
			.uri("http://internal:8080/twilio/voice")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData("CallSid", "CA1"))
			.exchange()
			.expectStatus().isOk()
			.expectHeader().contentType("application/xml;charset=UTF-8")
			.expectBody()
			.xpath("/Response/Connect/@action").isEqualTo("https://voice.example.com/twilio/stream-action")
			.xpath("/Response/Connect/Stream/@url").isEqualTo("wss://voice.example.com/twilio-media")
			.xpath("/Response/Connect/Stream/@statusCallback").isEqualTo("https://voice.example.com/twilio/stream-status")
			.xpath("/Response/Connect/Stream/Parameter[@name='CallSid']/@value").isEqualTo("CA1");
	}

	@Test
	void connectActionForAnUnknownCallPlaysTheFallback() throws Exception {
		this.client.post()
			.uri("/twilio/stream-action")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData("CallSid", "CAunknown"))
			.exchange()
			.expectStatus().isOk()
			.expectBody()
			.xpath("/Response/Say").exists()
			.xpath("/Response/Hangup").exists();
	}

	/** The environment's one profile, as without a profiles file. */
	@TestConfiguration(proxyBeanMethods = false)
	static class Implicit {

		@Bean
		Profiles profiles() {
			return TestProfiles.implicit();
		}

		@Bean
		StreamAdmission streamAdmission() {
			return StreamAdmission.OPEN;
		}

	}

}

package dev.voicebridge.twilio;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import dev.voicebridge.call.CallRegistry;
import dev.voicebridge.config.BridgeProperties;
import dev.voicebridge.routing.CallMode;
import dev.voicebridge.routing.CallRouter;
import dev.voicebridge.routing.Route;
import dev.voicebridge.traditional.TraditionalMode;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.xpath;

/**
 * With {@code PUBLIC_URL} set, every URL in the TwiML comes from it, whatever the request says.
 */
@WebMvcTest(controllers = { IncomingCallController.class, StreamCallbackController.class },
		properties = "voicebridge.public-url=https://voice.example.com/")
@EnableConfigurationProperties(BridgeProperties.class)
@Import({ PublicUrls.class, WebhookMetrics.class, SimpleMeterRegistry.class })
class IncomingCallControllerTests {

	@Autowired
	private MockMvc mvc;

	@MockitoBean
	private CallRegistry calls;

	@MockitoBean
	private CallRouter router;

	@MockitoBean
	private TraditionalMode traditional;

	@BeforeEach
	void routeToTheStream() {
		given(this.router.route(any())).willReturn(new Route(CallMode.STREAM, "probability"));
	}

	@Test
	void publicUrlDecidesEveryUrlInTheTwiml() throws Exception {
		this.mvc.perform(post("/twilio/voice").param("CallSid", "CA1").header("Host", "internal:8080"))
			.andExpect(status().isOk())
			.andExpect(content().contentType("application/xml;charset=UTF-8"))
			.andExpect(xpath("/Response/Connect/@action").string("https://voice.example.com/twilio/stream-action"))
			.andExpect(xpath("/Response/Connect/Stream/@url").string("wss://voice.example.com/twilio-media"))
			.andExpect(xpath("/Response/Connect/Stream/@statusCallback")
				.string("https://voice.example.com/twilio/stream-status"))
			.andExpect(xpath("/Response/Connect/Stream/Parameter[@name='CallSid']/@value").string("CA1"));
	}

	@Test
	void connectActionForAnUnknownCallPlaysTheFallback() throws Exception {
		this.mvc.perform(post("/twilio/stream-action").param("CallSid", "CAunknown"))
			.andExpect(status().isOk())
			.andExpect(xpath("/Response/Say").exists())
			.andExpect(xpath("/Response/Hangup").exists());
	}

}

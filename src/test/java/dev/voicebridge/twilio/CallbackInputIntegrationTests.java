package dev.voicebridge.twilio;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.voicebridge.testing.TwilioForms;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Twilio's callback fields reach logs, the shared state and the journal: SIDs must have Twilio's
 * shape, and free text is bounded and cannot forge a log line with an encoded CR/LF.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class CallbackInputIntegrationTests {

	@LocalServerPort
	private int port;

	@Test
	void aCallSidThatIsNotASidIsRefused(CapturedOutput output) {
		TwilioForms.Answer status = TwilioForms.post(url("/twilio/stream-status"),
				Map.of("CallSid", "CA1\r\n[Webhook] forged", "StreamEvent", "stream-started"));
		assertThat(status.status()).isEqualTo(400);
		assertThat(TwilioForms.post(url("/twilio/stream-status"), Map.of("CallSid", "CA1", "StreamSid", "../../etc",
				"StreamEvent", "stream-started")).status()).isEqualTo(400);
		assertThat(TwilioForms.post(url("/twilio/stream-action"), Map.of("CallSid", "x".repeat(2000))).status())
			.isEqualTo(400);
		assertThat(output.getOut()).doesNotContain("\n[Webhook] forged");
	}

	@Test
	void aStreamErrorIsBoundedAndCannotForgeALogLine(CapturedOutput output) {
		String error = "31920 Stream - WebSocket - Handshake Error\r\n2026-12-04 INFO [Stream] forged line"
				+ "x".repeat(100_000);
		TwilioForms.Answer status = TwilioForms.post(url("/twilio/stream-status"), Map.of("CallSid", "CAcallback1",
				"StreamSid", "MZcallback1", "StreamEvent", "stream-error", "StreamError", error));
		assertThat(status.status()).isEqualTo(204);
		assertThat(output.getOut()).contains("Twilio reports stream-error callSid=CAcallback1")
			.doesNotContain("\n2026-12-04 INFO [Stream] forged line")
			.doesNotContain("x".repeat(1000));
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

}

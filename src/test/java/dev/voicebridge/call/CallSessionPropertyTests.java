package dev.voicebridge.call;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.constraints.Size;

import org.springframework.context.ApplicationEventPublisher;

import dev.voicebridge.agent.EchoAgent;
import dev.voicebridge.config.BridgeProperties;
import dev.voicebridge.media.TwilioMessageCodec;
import dev.voicebridge.media.TwilioMessageCodecPropertyTests;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole call fed random frames: no exception escapes, nothing is sent after the call ended,
 * and every payload sent to the caller is well-formed base64.
 */
class CallSessionPropertyTests {

	@Property(tries = 300)
	void randomFramesNeverBreakACall(@ForAll @Size(max = 40) List<@net.jqwik.api.From("frames") String> frames) {
		RecordingLine line = new RecordingLine();
		ApplicationEventPublisher events = (event) -> {
		};
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		CallMetrics metrics = new CallMetrics(meters);
		BridgeProperties properties = new BridgeProperties(null, null, Duration.ofSeconds(30),
				new BridgeProperties.Fallback("sorry", null), new BridgeProperties.Media(
						org.springframework.util.unit.DataSize.ofKilobytes(64), Duration.ofSeconds(5),
						org.springframework.util.unit.DataSize.ofMegabytes(1), Duration.ofSeconds(5)));
		CallControl control = new CallControl() {
			@Override
			public boolean available() {
				return false;
			}

			@Override
			public void hangUp(String callSid) {
			}

			@Override
			public void transfer(String callSid, String number) {
			}
		};
		var timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
		CallRegistry registry = new CallRegistry(new EchoAgent(), metrics, properties, meters, events, control,
				new dev.voicebridge.config.AgentProperties("be helpful", null, null), timer, Runnable::run, Runnable::run,
				new dev.voicebridge.config.PrivacyProperties(false));
		CallSession call = registry.open("s1", line);
		for (String frame : frames) {
			call.onTwilioEvent(TwilioMessageCodec.decode(frame));
		}
		call.onCallerClosed(1000);
		assertThat(call.isEnded()).isTrue();
		assertThat(registry.activeCount()).isZero();
		assertThat(line.sentAfterClose).isFalse();
		assertThat(line.media).allMatch(Base64Audio::isWellFormed);
		timer.shutdownNow();
	}

	@Provide
	Arbitrary<String> frames() {
		return net.jqwik.api.Arbitraries.oneOf(TwilioMessageCodecPropertyTests.JsonArbitraries.twilioLike(),
				net.jqwik.api.Arbitraries.of(
						"{\"event\":\"start\",\"start\":{\"streamSid\":\"MZ1\",\"callSid\":\"CA1\"},\"streamSid\":\"MZ1\"}",
						"{\"event\":\"media\",\"streamSid\":\"MZ1\",\"media\":{\"track\":\"inbound\",\"payload\":\"AAEC\"}}",
						"{\"event\":\"mark\",\"streamSid\":\"MZ1\",\"mark\":{\"name\":\"1\"}}",
						"{\"event\":\"stop\",\"streamSid\":\"MZ1\"}"));
	}

	/** A caller line that records what it was asked to send. */
	static final class RecordingLine implements CallerLine {

		final List<String> media = new ArrayList<>();

		boolean closed;

		boolean sentAfterClose;

		@Override
		public void begin(String streamSid) {
		}

		@Override
		public void sendMedia(String payload) {
			this.sentAfterClose |= this.closed;
			this.media.add(payload);
		}

		@Override
		public void sendMark(String name) {
			this.sentAfterClose |= this.closed;
		}

		@Override
		public void sendClear() {
			this.sentAfterClose |= this.closed;
		}

		@Override
		public void close(int code, String reason) {
			this.closed = true;
		}

	}

}

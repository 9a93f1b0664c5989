package dev.voicebridge.call;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.context.ApplicationEventPublisher;

import dev.voicebridge.agent.Base64Audio;
import dev.voicebridge.agent.EchoAgent;
import dev.voicebridge.config.BridgeProperties;
import dev.voicebridge.media.TwilioMessageCodec;
import dev.voicebridge.testing.Generated;
import dev.voicebridge.testing.TwilioFrames;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole call fed random frames: no exception escapes, nothing is sent after the call ended,
 * and every payload sent to the caller is well-formed base64. Calls are generated from a fixed
 * seed (see {@link Generated}).
 */
class CallSessionPropertyTests {

	/** The messages of a real call. */
	private static final String[] CALL = {
			"{\"event\":\"start\",\"start\":{\"streamSid\":\"MZ1\",\"callSid\":\"CA1\"},\"streamSid\":\"MZ1\"}",
			"{\"event\":\"media\",\"streamSid\":\"MZ1\",\"media\":{\"track\":\"inbound\",\"payload\":\"AAEC\"}}",
			"{\"event\":\"mark\",\"streamSid\":\"MZ1\",\"mark\":{\"name\":\"1\"}}",
			"{\"event\":\"stop\",\"streamSid\":\"MZ1\"}" };

	@ParameterizedTest(name = "{0}")
	@MethodSource("calls")
	void randomFramesNeverBreakACall(List<String> frames) {
		RecordingLine line = new RecordingLine();
		ApplicationEventPublisher events = (event) -> {
		};
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		CallMetrics metrics = new CallMetrics(meters, dev.voicebridge.testing.TestProfiles.implicit());
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
				dev.voicebridge.testing.TestProfiles.implicit(), timer, Runnable::run, Runnable::run,
				new dev.voicebridge.config.PrivacyProperties(false), dev.voicebridge.testing.TestProfiles.insight(),
				(record) -> {
				}, dev.voicebridge.call.StreamAdmission.OPEN, dev.voicebridge.testing.TestProfiles.limits(Duration.ofSeconds(5)));
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

	/** Calls of up to 40 frames. */
	static Stream<Named<List<String>>> calls() {
		return Generated.cases(300, (random) -> Stream.generate(() -> frame(random)).limit(random.nextInt(41)).toList());
	}

	/** Twilio-shaped JSON, a message of a real call, or a real message damaged, equally often. */
	private static String frame(SplittableRandom random) {
		return switch (random.nextInt(3)) {
			case 0 -> TwilioFrames.twilioLikeJson(random);
			case 1 -> CALL[random.nextInt(CALL.length)];
			default -> TwilioFrames.damagedTwilioMessage(random);
		};
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

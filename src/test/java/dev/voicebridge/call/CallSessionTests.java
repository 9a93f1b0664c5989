package dev.voicebridge.call;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import dev.voicebridge.agent.AgentListener;
import dev.voicebridge.agent.AgentSession;
import dev.voicebridge.agent.Interruption;
import dev.voicebridge.agent.SerialEvents;
import dev.voicebridge.agent.VoiceAgent;
import dev.voicebridge.testing.TestProfiles;
import dev.voicebridge.config.BridgeProperties;
import dev.voicebridge.config.PrivacyProperties;
import dev.voicebridge.media.TwilioMessageCodec;
import dev.voicebridge.profiles.CallProfile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A call whose agent cannot even start, or fails before Twilio's {@code start}, still ends
 * once, leaves the registry, and waits for {@code start} so the Connect action knows the call.
 */
class CallSessionTests {

	private static final String START = "{\"event\":\"start\",\"start\":{\"streamSid\":\"MZ1\",\"callSid\":\"CA1\","
			+ "\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}},\"streamSid\":\"MZ1\"}";

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final List<Object> published = new ArrayList<>();

	private StreamAdmission admission = StreamAdmission.OPEN;

	private Duration startTimeout = Duration.ofSeconds(5);

	@AfterEach
	void stopTimer() {
		this.timer.shutdownNow();
	}

	@Test
	void anAgentThatThrowsOnOpenEndsTheCallOnceStartNamesIt() {
		CallRegistry registry = registry(new VoiceAgent() {
			@Override
			public String name() {
				return "openai";
			}

			@Override
			public AgentSession open(AgentListener listener, SerialEvents events) {
				throw new IllegalStateException("no client");
			}
		});
		Line line = new Line();
		CallSession call = registry.open("s1", line);
		assertThat(call.isEnded()).as("waiting for start").isFalse();

		call.onTwilioEvent(TwilioMessageCodec.decode(START));

		assertThat(call.isEnded()).isTrue();
		assertThat(line.closeCodes).containsExactly(1011);
		assertThat(registry.activeCount()).isZero();
		assertThat(registry.outcomeOf("CA1")).contains(CallOutcome.AGENT_FAILED);
		assertThat(this.published).contains(new AgentFailedEvent("CA1", false));
		assertThat(this.meters.counter("voicebridge.calls", "agent", "openai", "profile", "default", "outcome", "agent_failed").count())
			.isEqualTo(1);
	}

	@Test
	void aStreamThatSendsNoStartIsClosedWithItsUpstreamAtTheStartTimeout() throws InterruptedException {
		this.startTimeout = Duration.ofMillis(200);
		RecordingAgent agent = new RecordingAgent();
		Line line = new Line();
		CallSession call = registry(agent).open("s1", line);

		assertThat(line.closed.await(5, TimeUnit.SECONDS)).as("closed by the start timeout").isTrue();
		assertThat(line.closeCodes).containsExactly(1008);
		assertThat(agent.closed).as("the upstream session that opened with the socket").isTrue();
		assertThat(agent.begun).isFalse();
		assertThat(call.isEnded()).isTrue();
		assertThat(this.meters.counter("voicebridge.streams.refused", "reason", "no-start").count()).isEqualTo(1);
	}

	@Test
	void aStartTheAdmissionRefusesNeverReachesTheAgentAndLeavesNoOutcome() {
		List<String> asked = new ArrayList<>();
		this.admission = (callSid, accountSid, parameters) -> {
			asked.add(callSid);
			return "bad-token";
		};
		RecordingAgent agent = new RecordingAgent();
		Line line = new Line();
		CallRegistry registry = registry(agent);
		CallSession call = registry.open("s1", line);

		call.onTwilioEvent(TwilioMessageCodec.decode(START));

		assertThat(asked).containsExactly("CA1");
		assertThat(line.closeCodes).containsExactly(1008);
		assertThat(agent.begun).as("no agent and no tool for a call that is not ours").isFalse();
		assertThat(agent.closed).isTrue();
		assertThat(call.callSid()).isNull();
		assertThat(registry.outcomeOf("CA1")).as("the Connect action of the named call is not touched").isEmpty();
		assertThat(this.meters.counter("voicebridge.streams.refused", "reason", "bad-token").count()).isEqualTo(1);
		assertThat(this.meters.counter("voicebridge.streams.refused", "reason", "no-start").count()).isZero();
	}

	@Test
	void anAdmittedStartCancelsTheStartTimeout() throws InterruptedException {
		this.startTimeout = Duration.ofMillis(100);
		RecordingAgent agent = new RecordingAgent();
		Line line = new Line();
		CallSession call = registry(agent).open("s1", line);

		call.onTwilioEvent(TwilioMessageCodec.decode(START));
		// a second call's timeout, later than the first's, proves the first one has fired by then
		Line other = new Line();
		registry(new RecordingAgent()).open("s2", other);
		assertThat(other.closed.await(5, TimeUnit.SECONDS)).isTrue();

		assertThat(agent.begun).isTrue();
		assertThat(line.closeCodes).isEmpty();
		assertThat(call.isEnded()).isFalse();
	}

	/** An agent that is ready at once and records what the call did with it. */
	static final class RecordingAgent implements VoiceAgent {

		volatile boolean begun;

		volatile boolean closed;

		@Override
		public String name() {
			return "openai";
		}

		@Override
		public AgentSession open(AgentListener listener, SerialEvents events) {
			return new AgentSession() {
				@Override
				public void begin(String callSid, CallProfile profile, Map<String, String> parameters) {
					RecordingAgent.this.begun = true;
				}

				@Override
				public void appendAudio(String payload) {
				}

				@Override
				public void interrupt(Interruption cut) {
				}

				@Override
				public void close() {
					RecordingAgent.this.closed = true;
				}

				@Override
				public void sayGoodbye(String goodbye) {
				}
			};
		}

	}

	private CallRegistry registry(VoiceAgent agent) {
		BridgeProperties properties = new BridgeProperties(null, null, Duration.ofSeconds(30),
				new BridgeProperties.Fallback("sorry", null), new BridgeProperties.Media(DataSize.ofKilobytes(16),
						Duration.ofSeconds(5), DataSize.ofMegabytes(1), Duration.ofSeconds(5)));
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
		return new CallRegistry(agent, new CallMetrics(this.meters, TestProfiles.implicit()), properties, this.meters,
				this.published::add, control, TestProfiles.implicit(), this.timer, Runnable::run, Runnable::run,
				new PrivacyProperties(false), TestProfiles.insight(), (record) -> {
				}, this.admission, TestProfiles.limits(this.startTimeout));
	}

	/** A caller line that records how it was closed. */
	static final class Line implements CallerLine {

		final List<Integer> closeCodes = new CopyOnWriteArrayList<>();

		final CountDownLatch closed = new CountDownLatch(1);

		@Override
		public void begin(String streamSid) {
		}

		@Override
		public void sendMedia(String payload) {
		}

		@Override
		public void sendMark(String name) {
		}

		@Override
		public void sendClear() {
		}

		@Override
		public void close(int code, String reason) {
			this.closeCodes.add(code);
			this.closed.countDown();
		}

	}

}

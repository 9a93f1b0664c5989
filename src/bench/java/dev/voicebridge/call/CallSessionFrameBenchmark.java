package dev.voicebridge.call;

import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import org.springframework.util.unit.DataSize;

import dev.voicebridge.agent.AgentListener;
import dev.voicebridge.agent.AgentSession;
import dev.voicebridge.agent.Interruption;
import dev.voicebridge.agent.SerialEvents;
import dev.voicebridge.agent.VoiceAgent;
import dev.voicebridge.config.AgentProperties;
import dev.voicebridge.config.CallInsightProperties;
import dev.voicebridge.config.LimitsProperties;
import dev.voicebridge.config.OpenAiProperties;
import dev.voicebridge.profiles.CallProfile;
import dev.voicebridge.profiles.Profiles;
import dev.voicebridge.config.BridgeProperties;
import dev.voicebridge.media.TwilioMessageCodec;

/**
 * Our own code per frame, between the sockets: a decoded Twilio frame through the call to the
 * agent, and agent audio through the call (playback clock, marks, meters) to the caller's line.
 * Both enter the call's {@link CallLoop} as production does (the web server's thread through
 * {@code onTwilioEvent}, the agent's reader thread through its {@code SerialEvents}), and the
 * loop is idle, so each runs inline. The sockets are replaced by sinks, so this is what the
 * relay adds on top of I/O.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CallSessionFrameBenchmark {

	private CallSession call;

	private String twilioMedia;

	private String payload;

	private ScheduledExecutorService timer;

	private Blackhole sink;

	private SinkAgent agent;

	private SinkLine line;

	/** What the agent hands the call per audio delta, kept in a field as RealtimeSession keeps its handler. */
	private Consumer<String> toCaller;

	@Setup(Level.Trial)
	public void call(Blackhole blackhole) {
		this.sink = blackhole;
		byte[] audio = new byte[160];
		new Random(7).nextBytes(audio);
		this.payload = Base64.getEncoder().encodeToString(audio);
		this.twilioMedia = "{\"event\":\"media\",\"sequenceNumber\":\"9\",\"media\":{\"track\":\"inbound\",\"chunk\":\"8\","
				+ "\"timestamp\":\"160\",\"payload\":\"" + this.payload + "\"},\"streamSid\":\"MZbench\"}";
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		BridgeProperties properties = new BridgeProperties(null, null, Duration.ofSeconds(30),
				new BridgeProperties.Fallback("sorry", null), new BridgeProperties.Media(DataSize.ofKilobytes(64),
						Duration.ofSeconds(10), DataSize.ofMegabytes(1), Duration.ofSeconds(5)));
		this.timer = Executors.newSingleThreadScheduledExecutor();
		CallControl noControl = new CallControl() {
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
		this.agent = new SinkAgent(blackhole);
		this.line = new SinkLine(blackhole);
		Profiles profiles = Profiles.implicit(new AgentProperties("bench", null, null), new OpenAiProperties(null,
				URI.create("wss://api.openai.com/v1/realtime"), "gpt-realtime", "marin", OpenAiProperties.TurnDetection.SERVER_VAD,
				null, Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofMinutes(55), null, "gpt-4.1-mini", null),
				new BridgeProperties.Fallback("Sorry.", null), meters);
		CallRegistry registry = new CallRegistry(this.agent, new CallMetrics(meters, profiles), properties, meters,
				(event) -> {
				}, noControl, profiles, this.timer, Runnable::run, Runnable::run,
				new dev.voicebridge.config.PrivacyProperties(false),
				new CallInsightProperties(CallInsightProperties.DtmfMode.AGENT, Duration.ofSeconds(1), null, "Goodbye.",
						Map.of(), "USD", null, null, 1000, Duration.ofHours(1), Duration.ofSeconds(10), Duration.ofSeconds(1)),
				(record) -> {
				}, StreamAdmission.OPEN, new LimitsProperties(500, 20, 50, Duration.ofSeconds(5), Duration.ofMinutes(5),
						Duration.ofMinutes(5), 10, new LimitsProperties.TestWebsocket(true, 10, Duration.ofMinutes(2),
								DataSize.ofKilobytes(64), DataSize.ofMegabytes(1))));
		this.call = registry.open("bench", this.line);
		this.call.onTwilioEvent(TwilioMessageCodec.decode("{\"event\":\"start\",\"start\":{\"streamSid\":\"MZbench\","
				+ "\"callSid\":\"CAbench\",\"customParameters\":{}},\"streamSid\":\"MZbench\"}"));
		CallSession session = this.call;
		this.toCaller = (delta) -> session.onAudio("item_bench", delta);
		// a call that is not started or whose agent is not ready would measure an early return
		callerFrame();
		agentFrame();
		if (this.agent.appended != 1 || this.line.media != 1) {
			throw new IllegalStateException("the frames did not cross the call: " + this.agent.appended
					+ " appended, " + this.line.media + " sent to the caller");
		}
	}

	@TearDown(Level.Trial)
	public void end() {
		this.call.end(CallOutcome.COMPLETED, 1000, "bench over");
		this.timer.shutdownNow();
	}

	/** Twilio frame in (decode included) to the agent's append. */
	@Benchmark
	public void callerFrame() {
		this.call.onTwilioEvent(TwilioMessageCodec.decode(this.twilioMedia));
	}

	/** Agent audio to the caller's line through the call's loop, marks included (one every fifth 160-byte frame). */
	@Benchmark
	public void agentFrame() {
		this.agent.events.submit(this.toCaller, this.payload);
	}

	private static final class SinkLine implements CallerLine {

		private final Blackhole sink;

		int media;

		SinkLine(Blackhole sink) {
			this.sink = sink;
		}

		@Override
		public void begin(String streamSid) {
		}

		@Override
		public void sendMedia(String payload) {
			this.media++;
			this.sink.consume(payload);
		}

		@Override
		public void sendMark(String name) {
			this.sink.consume(name);
		}

		@Override
		public void sendClear() {
		}

		@Override
		public void close(int code, String reason) {
		}

	}

	private static final class SinkAgent implements VoiceAgent {

		private final Blackhole sink;

		SerialEvents events;

		int appended;

		SinkAgent(Blackhole sink) {
			this.sink = sink;
		}

		@Override
		public String name() {
			return "echo";
		}

		@Override
		public AgentSession open(AgentListener listener, SerialEvents events) {
			this.events = events;
			listener.onReady();
			return new AgentSession() {
				@Override
				public void sayGoodbye(String goodbye) {
				}

				@Override
				public void begin(String callSid, CallProfile profile, Map<String, String> parameters) {
				}

				@Override
				public void appendAudio(String payload) {
					SinkAgent.this.appended++;
					SinkAgent.this.sink.consume(payload);
				}

				@Override
				public void interrupt(Interruption cut) {
				}

				@Override
				public void close() {
				}
			};
		}

	}

}

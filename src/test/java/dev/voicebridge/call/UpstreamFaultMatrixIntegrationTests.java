package dev.voicebridge.call;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.voicebridge.testing.Audio;
import dev.voicebridge.testing.FakeRealtimeServer;
import dev.voicebridge.testing.FakeTwilioCall;
import dev.voicebridge.testing.SeveringProxy;
import dev.voicebridge.testing.SharedRealtimeUpstream;
import dev.voicebridge.testing.TwilioForms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every way the upstream can fail, in every phase of a call, ends the same way: the Twilio
 * stream closes with 1011, the call's outcome is {@code agent_failed}, and the Connect action
 * serves the caller: traditional mode when the caller has not heard the agent yet, the fallback
 * message and dial when they have. Each row is driven by latches on the fakes. How long each
 * took from the fault to the close, and to the Connect action's answer, is written to
 * {@code target/fault-matrix.tsv}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "voicebridge.openai.api-key=sk-test", "voicebridge.twilio.validate-signatures=false", "voicebridge.openai.connect-timeout=1s",
				"voicebridge.openai.response-timeout=1s", "voicebridge.fallback.message=Please hold for a person.",
				"voicebridge.fallback.number=+15005550006" })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(SharedRealtimeUpstream.class)
class UpstreamFaultMatrixIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final Path TIMINGS = Path.of("target", "fault-matrix.tsv");

	private static final FakeRealtimeServer openai = SharedRealtimeUpstream.server();

	/** Between the relay and the fake, to drop the upstream's TCP connection. */
	private static final SeveringProxy network = new SeveringProxy(openai.port());

	@LocalServerPort
	private int port;

	@Autowired
	private CallRegistry calls;

	@Autowired
	private MeterRegistry meters;

	private static int callNumber;

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		registry.add("voicebridge.openai.realtime-url", () -> "ws://localhost:" + network.port() + "/v1/realtime");
	}

	@AfterAll
	static void stopUpstream() {
		network.close();
	}

	@BeforeEach
	void resetUpstream() {
		openai.autoConfigure(false);
	}

	/** How the Connect action must serve the caller after the fault. */
	enum Served {

		/** The caller has not heard the agent: the call continues in traditional mode. */
		TRADITIONAL,

		/** The caller has heard the agent: the fallback message, then the fallback number. */
		FALLBACK

	}

	/** One row: the fault and the phase it hits, driven on a connected call. */
	interface Fault {

		/** Drives the call to its phase and injects the fault; returns when the fault is out. */
		void inject(FakeTwilioCall call) throws Exception;

	}

	static Stream<Arguments> matrix() {
		Runnable nothing = () -> {
		};
		return Stream.of(
				// before Twilio's start
				row("refused 401 before start", Served.TRADITIONAL, () -> openai.refuseWith(401), refusedBeforeStart()),
				row("refused 403 before start", Served.TRADITIONAL, () -> openai.refuseWith(403), refusedBeforeStart()),
				row("refused 429 before start", Served.TRADITIONAL, () -> openai.refuseWith(429), refusedBeforeStart()),
				row("refused 500 before start", Served.TRADITIONAL, () -> openai.refuseWith(500), refusedBeforeStart()),
				row("refused 503 before start", Served.TRADITIONAL, () -> openai.refuseWith(503), refusedBeforeStart()),
				row("closed 1011 on open before start", Served.TRADITIONAL, () -> openai.closeOnOpen(1011), (call) -> {
					openai.nextConnection(WAIT).awaitClosed(WAIT);
					call.start(Map.of());
				}),
				row("session.update refused before start", Served.TRADITIONAL, () -> openai.refuseSessionUpdate(true),
						(call) -> {
							openai.nextConnection(WAIT).next("session.update", WAIT);
							call.start(Map.of());
						}),
				// after start, before session.updated
				row("refused 401 after start", Served.TRADITIONAL, openai::holdHandshakes, refusedAfterStart(401)),
				row("refused 429 after start", Served.TRADITIONAL, openai::holdHandshakes, refusedAfterStart(429)),
				row("refused 503 after start", Served.TRADITIONAL, openai::holdHandshakes, refusedAfterStart(503)),
				row("connect timeout", Served.TRADITIONAL, () -> openai.stall(true), (call) -> call.start(Map.of())),
				row("session.update refused after start", Served.TRADITIONAL, nothing, (call) -> {
					var upstream = unconfigured(call);
					upstream.send("{\"type\":\"error\",\"event_id\":\"e\",\"error\":{\"type\":\"invalid_request_error\","
							+ "\"code\":\"invalid_value\",\"message\":\"Invalid value: 'gpt-4o-transcrib'.\","
							+ "\"param\":\"session.audio.input.transcription.model\",\"event_id\":null}}");
				}),
				row("session.update never answered", Served.TRADITIONAL, nothing,
						UpstreamFaultMatrixIntegrationTests::unconfigured),
				row("fatal error before session.updated", Served.TRADITIONAL, nothing,
						(call) -> unconfigured(call).error("invalid_api_key", "Incorrect API key provided.")),
				row("closed 1011 before session.updated", Served.TRADITIONAL, nothing,
						(call) -> unconfigured(call).closeWith(1011)),
				row("dropped before session.updated", Served.TRADITIONAL, nothing, (call) -> drop(unconfigured(call))),
				// while the agent speaks
				row("fatal error while the agent speaks", Served.FALLBACK, nothing,
						(call) -> speaking(call).error("session_expired", "Your session hit the maximum duration.")),
				row("closed 1011 while the agent speaks", Served.FALLBACK, nothing,
						(call) -> speaking(call).closeWith(1011)),
				row("dropped while the agent speaks", Served.FALLBACK, nothing, (call) -> drop(speaking(call))),
				row("silence mid-response", Served.FALLBACK, nothing, UpstreamFaultMatrixIntegrationTests::speaking),
				// during a tool call
				row("closed 1011 during a tool call", Served.FALLBACK, nothing, (call) -> toolCall(call).closeWith(1011)),
				row("dropped during a tool call", Served.FALLBACK, nothing, (call) -> drop(toolCall(call))),
				row("fatal error during a tool call", Served.FALLBACK, nothing,
						(call) -> toolCall(call).error("insufficient_quota", "You exceeded your current quota.")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("matrix")
	void everyUpstreamFaultEndsWithTheCallerServed(String row, Served served, Runnable before, Fault fault)
			throws Exception {
		String callSid = "CAfault" + (++callNumber);
		double failed = agentFailedCalls();
		before.run();
		long injected;
		long closed;
		try (FakeTwilioCall call = connect(callSid)) {
			injected = System.nanoTime();
			fault.inject(call);
			assertThat(call.awaitClosed(WAIT)).as(row).isEqualTo(1011);
			closed = System.nanoTime();
		}
		await().atMost(WAIT).until(() -> this.calls.outcomeOf(callSid).isPresent());
		assertThat(this.calls.outcomeOf(callSid)).as(row).contains(CallOutcome.AGENT_FAILED);
		assertThat(agentFailedCalls()).as(row).isEqualTo(failed + 1);
		String twiml = connectAction(callSid);
		record(row, closed - injected, System.nanoTime() - injected);
		if (served == Served.TRADITIONAL) {
			assertThat(twiml).as(row).contains("<Gather").doesNotContain("<Hangup");
		}
		else {
			assertThat(twiml).as(row)
				.contains("<Say>Please hold for a person.</Say>")
				.contains("<Dial>+15005550006</Dial>");
		}
		assertThat(this.calls.activeCount()).as(row).isZero();
	}

	/**
	 * The races of an upstream that fails within the first milliseconds, while Twilio's
	 * {@code connected} and {@code start} are still arriving: many tries, every one served.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("earlyFaults")
	void anUpstreamThatFailsAtOnceNeverLeavesTheStreamOpen(String row, Runnable setUp) throws Exception {
		for (int i = 0; i < 25; i++) {
			openai.reset();
			openai.autoConfigure(false);
			setUp.run();
			String callSid = "CAearly" + (++callNumber);
			try (FakeTwilioCall call = connect(callSid)) {
				call.start(Map.of());
				call.media(Audio.frame(i));
				assertThat(call.awaitClosed(WAIT)).as("%s, try %d", row, i).isEqualTo(1011);
			}
			await().atMost(WAIT).until(() -> this.calls.outcomeOf(callSid).isPresent());
			assertThat(this.calls.outcomeOf(callSid)).as("%s, try %d", row, i).contains(CallOutcome.AGENT_FAILED);
		}
		await().atMost(WAIT).until(() -> this.calls.activeCount() == 0);
	}

	static Stream<Arguments> earlyFaults() {
		return Stream.of(Arguments.of("refused 401 at once", (Runnable) () -> openai.refuseWith(401)),
				Arguments.of("closed 1011 on open", (Runnable) () -> openai.closeOnOpen(1011)),
				Arguments.of("session.update refused at once", (Runnable) () -> openai.refuseSessionUpdate(true)));
	}

	/** Last: a draining instance takes no new calls, so the context is discarded after it. */
	@Test
	@Order(Integer.MAX_VALUE)
	@DirtiesContext(methodMode = DirtiesContext.MethodMode.AFTER_METHOD)
	void anUpstreamThatFailsWhileTheInstanceDrainsEndsTheCallWithTheFallback() throws Exception {
		String callSid = "CAdrain1";
		try (FakeTwilioCall call = connect(callSid)) {
			var upstream = speaking(call);
			this.calls.startDraining();
			upstream.closeWith(1011);
			assertThat(call.awaitClosed(WAIT)).isEqualTo(1011);
		}
		await().atMost(WAIT).until(() -> this.calls.outcomeOf(callSid).isPresent());
		assertThat(this.calls.outcomeOf(callSid)).contains(CallOutcome.AGENT_FAILED);
		assertThat(connectAction(callSid)).contains("<Say>Please hold for a person.</Say>");
	}

	@Test
	void aRecoverableErrorAndAnExpectedCancelRaceLeaveTheCallGoing() throws Exception {
		double recoverable = this.meters.counter("voicebridge.upstream.errors", "kind", "recoverable").count();
		try (FakeTwilioCall call = connect("CAfine" + (++callNumber))) {
			var upstream = speaking(call);
			upstream.error("response_cancel_not_active", "Cancellation failed: no active response found");
			upstream.error("invalid_value", "Invalid value for 'audio_end_ms'");
			// audio behind the errors reaches the caller: the errors were handled, and the call goes on
			upstream.delta("resp_1", "item_1", Audio.frame(6, 160));
			assertThat(call.next("media", WAIT).path("media").path("payload").asText()).isEqualTo(Audio.frame(6, 160));
			String frame = Audio.frame(7);
			call.media(frame);
			assertThat(upstream.next("input_audio_buffer.append", WAIT).path("audio").asText()).isEqualTo(frame);
		}
		// the cancel race is expected after a barge-in; only the real error counts
		assertThat(this.meters.counter("voicebridge.upstream.errors", "kind", "recoverable").count())
			.isEqualTo(recoverable + 1);
	}

	private static Arguments row(String name, Served served, Runnable before, Fault fault) {
		return Arguments.of(name, served, before, fault);
	}

	private static Fault refusedBeforeStart() {
		return (call) -> {
			openai.awaitHandshakes(1, WAIT);
			call.start(Map.of());
		};
	}

	private static Fault refusedAfterStart(int status) {
		return (call) -> {
			call.start(Map.of());
			openai.awaitHandshakes(1, WAIT);
			openai.refuseWith(status);
			openai.releaseHandshakes();
		};
	}

	/** Start sent, {@code session.update} received and not answered (the fakes do not auto-configure here). */
	private static FakeRealtimeServer.Connection unconfigured(FakeTwilioCall call) throws InterruptedException {
		var upstream = openai.nextConnection(WAIT);
		upstream.next("session.update", WAIT);
		call.start(Map.of());
		return upstream;
	}

	private static FakeRealtimeServer.Connection speaking(FakeTwilioCall call) throws InterruptedException {
		var upstream = unconfigured(call);
		upstream.configure();
		// the caller's first words reach the agent: the relay has taken start and the session
		call.media(Audio.frame(0));
		upstream.next("input_audio_buffer.append", WAIT);
		upstream.responseCreated("resp_1");
		upstream.delta("resp_1", "item_1", Audio.frame(1, 160));
		assertThat(call.next("media", WAIT).path("media").path("payload").asText()).isEqualTo(Audio.frame(1, 160));
		return upstream;
	}

	private static FakeRealtimeServer.Connection toolCall(FakeTwilioCall call) throws InterruptedException {
		var upstream = speaking(call);
		upstream.functionCall("resp_1", "call_1", "end_call");
		return upstream;
	}

	private static void drop(FakeRealtimeServer.Connection upstream) {
		network.severAll();
	}

	private FakeTwilioCall connect(String callSid) throws InterruptedException {
		return FakeTwilioCall.connect("ws://localhost:" + this.port + "/twilio-media", "MZ" + callSid.substring(2),
				callSid);
	}

	private String connectAction(String callSid) {
		return TwilioForms.connectAction(this.port, callSid);
	}

	private double agentFailedCalls() {
		return this.meters.counter("voicebridge.calls", "agent", "openai", "profile", "default", "outcome", "agent_failed").count();
	}

	/** The fault to the stream's close, and to the Connect action's TwiML (what the caller hears next). */
	private static void record(String row, long toClose, long toTwiml) {
		try {
			Files.createDirectories(TIMINGS.getParent());
			Files.writeString(TIMINGS, row + "\t" + (toClose / 1_000_000) + " ms\t" + (toTwiml / 1_000_000) + " ms\n",
					StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}

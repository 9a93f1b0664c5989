package dev.voicebridge.routing;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.voicebridge.call.AgentFailedEvent;
import dev.voicebridge.call.AgentReadyEvent;
import dev.voicebridge.call.CallOutcome;
import dev.voicebridge.call.CallRegistry;
import dev.voicebridge.call.StreamErrorEvent;
import dev.voicebridge.call.StreamHandedOutEvent;
import dev.voicebridge.call.StreamStartedEvent;
import dev.voicebridge.config.RoutingProperties;
import dev.voicebridge.profiles.CallProfile;
import dev.voicebridge.shared.InMemorySharedState;
import dev.voicebridge.testing.TestProfiles;


import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link CallRouter}: chance, a requested mode, draining, the stream breaker and
 * failover at the Connect action, and the meters that count them.
 */
class CallRouterTests {

	private static final CallProfile PROFILE = TestProfiles.defaultProfile();

	private final AtomicLong nanos = new AtomicLong();

	private final InMemorySharedState state = new InMemorySharedState(this.nanos::get);

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private final CallRegistry calls = mock(CallRegistry.class);

	private double roll = 0.5;

	@Test
	void theProbabilityDecidesBetweenStreamAndTraditional() {
		CallRouter router = router(0.5);
		this.roll = 0.49;
		assertThat(router.route(null, PROFILE)).isEqualTo(new Route(CallMode.STREAM, "probability"));
		this.roll = 0.5;
		assertThat(router.route(null, PROFILE)).isEqualTo(new Route(CallMode.TRADITIONAL, "probability"));
		assertThat(decisions("stream", "probability")).isEqualTo(1);
		assertThat(decisions("traditional", "probability")).isEqualTo(1);
		this.roll = 0.999;
		assertThat(router(1.0).route(null, PROFILE).mode()).isEqualTo(CallMode.STREAM);
		this.roll = 0.0;
		assertThat(router(0.0).route(null, PROFILE).mode()).isEqualTo(CallMode.TRADITIONAL);
	}

	@Test
	void aProfilesOwnProbabilityAndModeReplaceTheServicesAndTheWebhooksModeStillWins() {
		CallRouter router = router(1.0);
		CallProfile rarelyStreamed = withRouting(0.2, null);
		this.roll = 0.5;
		assertThat(router.route(null, rarelyStreamed)).isEqualTo(new Route(CallMode.TRADITIONAL, "probability"));
		assertThat(router.route(null, PROFILE)).as("the service's share").isEqualTo(new Route(CallMode.STREAM, "probability"));
		this.roll = 0.1;
		assertThat(router.route(null, rarelyStreamed)).isEqualTo(new Route(CallMode.STREAM, "probability"));
		CallProfile alwaysTraditional = withRouting(null, "traditional");
		assertThat(router.route(null, alwaysTraditional)).isEqualTo(new Route(CallMode.TRADITIONAL, "profile"));
		this.roll = 0.99;
		assertThat(router(0.0).route(null, withRouting(null, "stream"))).as("a profile's mode, not chance")
			.isEqualTo(new Route(CallMode.STREAM, "profile"));
		assertThat(router.route("stream", alwaysTraditional)).isEqualTo(new Route(CallMode.STREAM, "requested"));
		given(this.calls.isDraining()).willReturn(true);
		assertThat(router.route(null, withRouting(null, "stream"))).isEqualTo(new Route(CallMode.TRADITIONAL, "draining"));
	}

	@Test
	void aProfileThatStreamsStillMeetsAnOpenBreaker() {
		CallRouter router = router(1.0);
		failStreams(router, 3);
		assertThat(router.route(null, withRouting(null, "stream")).reason()).isEqualTo("breaker");
	}

	private static CallProfile withRouting(Double probability, String mode) {
		CallProfile p = PROFILE;
		return new CallProfile("routed", null, p.instructions(), p.greeting(), p.voice(), p.turnDetection(),
				p.transcriptionModel(), p.language(), p.sayVoice(), p.transferNumber(), p.fallbackMessage(),
				p.fallbackNumber(), probability, mode, p.dtmf(), p.upstream(), p.sources());
	}

	@Test
	void aRequestedModeWinsAndIsCountedAsRequested() {
		CallRouter router = router(0.0);
		assertThat(router.route("stream", PROFILE)).isEqualTo(new Route(CallMode.STREAM, "requested"));
		assertThat(router.route("TRADITIONAL", PROFILE)).isEqualTo(new Route(CallMode.TRADITIONAL, "requested"));
		assertThat(router.route("carrier-pigeon", PROFILE)).isEqualTo(new Route(CallMode.TRADITIONAL, "probability"));
		assertThat(decisions("stream", "requested")).isEqualTo(1);
		assertThat(decisions("traditional", "requested")).isEqualTo(1);
		assertThat(decisions("traditional", "probability")).isEqualTo(1);
	}

	@Test
	void aDrainingInstanceStartsNoStreamWhateverWasAsked() {
		given(this.calls.isDraining()).willReturn(true);
		CallRouter router = router(1.0);
		assertThat(router.route("stream", PROFILE)).isEqualTo(new Route(CallMode.TRADITIONAL, "draining"));
		assertThat(router.status().reason()).isEqualTo("draining");
		assertThat(decisions("traditional", "draining")).isEqualTo(1);
	}

	@Test
	void everyModeAndReasonIsRegisteredFromTheStart() {
		router(1.0);
		List<String> series = new ArrayList<>();
		this.meters.find("voicebridge.routing.decisions")
			.counters()
			.forEach((counter) -> series.add(counter.getId().getTag("mode") + "/" + counter.getId().getTag("reason")));
		assertThat(series).containsExactlyInAnyOrder("stream/probability", "stream/failover", "stream/breaker",
				"stream/draining", "stream/requested", "traditional/probability", "traditional/failover",
				"traditional/breaker", "traditional/draining", "traditional/requested", "stream/profile",
				"traditional/profile");
		assertThat(breakerGauge()).isZero();
	}

	@Test
	void consecutiveFailuresOpenTheBreakerAndOneCallInNStillTriesTheStream() {
		CallRouter router = router(1.0);
		failStreams(router, 2);
		assertThat(router.route(null, PROFILE)).isEqualTo(new Route(CallMode.STREAM, "probability"));
		failStreams(router, 1);
		assertThat(breakerGauge()).isEqualTo(1);
		assertThat(router.status().breaker().state()).isEqualTo("open");
		assertThat(router.status().mode()).isEqualTo("traditional");
		List<CallMode> modes = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			Route route = router.route(null, PROFILE);
			assertThat(route.reason()).isEqualTo("breaker");
			modes.add(route.mode());
		}
		assertThat(modes).containsExactly(CallMode.TRADITIONAL, CallMode.TRADITIONAL, CallMode.TRADITIONAL,
				CallMode.STREAM, CallMode.TRADITIONAL, CallMode.TRADITIONAL, CallMode.TRADITIONAL, CallMode.STREAM);
		assertThat(decisions("stream", "breaker")).isEqualTo(2);
		assertThat(decisions("traditional", "breaker")).isEqualTo(6);
	}

	@Test
	void theFirstCallWhoseAgentIsReadyClosesTheBreakerAndAStartAloneDoesNot() {
		CallRouter router = router(1.0);
		failStreams(router, 3);
		assertThat(router.breakerOpen()).isTrue();
		router.streamStarted(new StreamStartedEvent("CAok", "MZok"));
		assertThat(router.breakerOpen()).as("the stream started, but the agent behind it may be down").isTrue();
		router.agentReady(new AgentReadyEvent("CAok"));
		assertThat(router.breakerOpen()).isFalse();
		assertThat(breakerGauge()).isZero();
		assertThat(router.route(null, PROFILE)).isEqualTo(new Route(CallMode.STREAM, "probability"));
		failStreams(router, 2);
		assertThat(router.breakerOpen()).as("the run of failures started again").isFalse();
	}

	@Test
	void failuresFurtherApartThanTheWindowDoNotOpenTheBreaker() {
		CallRouter router = router(1.0);
		failStreams(router, 2);
		this.nanos.addAndGet(Duration.ofMinutes(5).toNanos());
		failStreams(router, 2);
		assertThat(router.breakerOpen()).isFalse();
		failStreams(router, 1);
		assertThat(router.breakerOpen()).isTrue();
	}

	@Test
	void aCallWhoseStreamFailedOrNeverStartedFailsOverAndOneThatStartedDoesNot() {
		CallRouter router = router(1.0);
		CallRegistry.Ended rejected = new CallRegistry.Ended(CallOutcome.REJECTED, false);
		router.streamFailed(new StreamErrorEvent("CAfailed", "MZ1", "31920"));
		assertThat(router.failsOver("CAfailed", rejected)).as("Twilio said the stream failed").isTrue();
		assertThat(router.status().breaker().consecutiveFailures()).isEqualTo(1);

		router.streamHandedOut(new StreamHandedOutEvent("CAnever", "wss://host/twilio-media"));
		assertThat(router.failsOver("CAnever", null)).as("handed a Stream URL, no outcome, no start").isTrue();
		assertThat(router.status().breaker().consecutiveFailures()).as("a stream that never started is a failure")
			.isEqualTo(2);
		assertThat(router.status().breaker().lastFailure()).isEqualTo("stream");

		assertThat(router.failsOver("CAunknown", null)).as("no webhook of ours routed it").isFalse();
		router.streamHandedOut(new StreamHandedOutEvent("CAstarted", "wss://host/twilio-media"));
		router.streamStarted(new StreamStartedEvent("CAstarted", "MZ2"));
		assertThat(router.failsOver("CAstarted", null)).as("started on another instance").isFalse();
		assertThat(router.failsOver("CAended", rejected)).as("ended here").isFalse();
		assertThat(router.failsOver(null, null)).isFalse();
		assertThat(decisions("traditional", "failover")).isEqualTo(2);
	}

	@Test
	void anAgentThatFailedBeforeTheCallerHeardItFailsOverOnEveryInstanceAndCountsForTheBreaker() {
		CallRouter router = router(1.0);
		router.streamHandedOut(new StreamHandedOutEvent("CAquiet", "wss://host/twilio-media"));
		router.streamStarted(new StreamStartedEvent("CAquiet", "MZ1"));
		router.agentFailed(new AgentFailedEvent("CAquiet", false));
		assertThat(router.failsOver("CAquiet", new CallRegistry.Ended(CallOutcome.AGENT_FAILED, false)))
			.as("here, where it ended").isTrue();
		assertThat(router.failsOver("CAquiet", null)).as("on an instance that did not see it end").isTrue();

		router.streamStarted(new StreamStartedEvent("CAheard", "MZ2"));
		router.agentFailed(new AgentFailedEvent("CAheard", true));
		assertThat(router.failsOver("CAheard", new CallRegistry.Ended(CallOutcome.AGENT_FAILED, true)))
			.as("the caller heard the agent: the fallback, not a fresh start").isFalse();
		assertThat(router.failsOver("CAheard", null)).isFalse();

		assertThat(router.status().breaker().lastFailure()).isEqualTo("agent");
		assertThat(this.meters.counter("voicebridge.routing.breaker.failures", "kind", "agent").count()).isEqualTo(2);
		router.agentFailed(new AgentFailedEvent("CAthird", true));
		assertThat(router.breakerOpen()).as("an outage of OpenAI opens the breaker").isTrue();
		assertThat(router.route(null, PROFILE).mode()).isEqualTo(CallMode.TRADITIONAL);
	}

	@Test
	void aCallReportedAsFailingManyTimesCountsOnceForTheBreaker() {
		CallRouter router = router(1.0);
		// one signed stream-error replayed, and the same call's agent failure besides
		for (int i = 0; i < 3; i++) {
			router.streamFailed(new StreamErrorEvent("CAreplayed", "MZreplayed", "31920"));
		}
		router.agentFailed(new AgentFailedEvent("CAreplayed", false));
		assertThat(router.status().breaker().consecutiveFailures()).isEqualTo(1);
		assertThat(router.breakerOpen()).as("one failing call is not an outage").isFalse();

		failStreams(router, 2);
		assertThat(router.breakerOpen()).as("three failing calls are").isTrue();
	}

	private void failStreams(CallRouter router, int count) {
		for (int i = 0; i < count; i++) {
			int call = ++this.failedCalls;
			router.streamFailed(new StreamErrorEvent("CAf" + call, "MZf" + call, "error"));
		}
	}

	private int failedCalls;

	private CallRouter router(double probability) {
		RoutingProperties.Breaker settings = new RoutingProperties.Breaker(3, Duration.ofMinutes(5), 4,
				Duration.ofHours(1));
		StreamBreaker breaker = new StreamBreaker(this.state, settings, Clock.systemUTC());
		this.meters.clear();
		RoutingMetrics metrics = new RoutingMetrics(this.meters, breaker::isOpen);
		return new CallRouter(new RealtimeProbability(this.state, probability), breaker, metrics, this.calls,
				this.state, () -> this.roll, Runnable::run);
	}

	private double decisions(String mode, String reason) {
		return this.meters.counter("voicebridge.routing.decisions", "mode", mode, "reason", reason).count();
	}

	private double breakerGauge() {
		return this.meters.get("voicebridge.routing.breaker.open").gauge().value();
	}

}

package dev.voicebridge.twilio;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import dev.voicebridge.call.CallRegistry;
import dev.voicebridge.testing.Audio;
import dev.voicebridge.testing.FakeTwilioCall;
import dev.voicebridge.testing.SignedTwilio;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stream handshake's signature is the same for every call, so it cannot say which call a
 * stream belongs to: the stream token does. Each attack here holds a valid handshake signature,
 * as a leaked header from a tunnel or an APM tool would give it, and still reaches no agent.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "voicebridge.twilio.auth-token=" + StreamBindingIntegrationTests.TOKEN,
				"voicebridge.limits.start-timeout=1s" })
@DirtiesContext
class StreamBindingIntegrationTests {

	static final String TOKEN = "0123456789abcdef0123456789abcdef";

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private CallRegistry calls;

	private SignedTwilio twilio() {
		return new SignedTwilio(this.port, TOKEN);
	}

	@Test
	void aStreamStartedWithItsWebhooksTokenCarriesTheCall() throws Exception {
		Map<String, String> parameters = twilio().answer("CAbound1", "ACfake");
		assertThat(parameters).containsKey(StreamTokens.PARAMETER);

		FakeTwilioCall call = twilio().stream("MZbound1", "CAbound1");
		call.start(parameters);
		String frame = Audio.frame(21);
		call.media(frame);
		assertThat(call.next("media", WAIT).path("media").path("payload").asText()).isEqualTo(frame);
		call.stop();
		assertThat(call.awaitClosed(WAIT)).isEqualTo(1000);
	}

	@Test
	void anotherCallsTokenDoesNotOpenAStreamForThisCall() throws Exception {
		double before = refused("bad-token");
		Map<String, String> owner = twilio().answer("CAowner1", "ACfake");

		// the stream names someone else's call, whose agent tools would end or transfer it
		FakeTwilioCall attack = twilio().stream("MZvictim1", "CAvictim1");
		attack.start(owner);
		attack.media(Audio.frame(3));

		assertThat(attack.awaitClosed(WAIT)).isEqualTo(1008);
		assertThat(attack.all()).as("no agent audio reached the attacker").noneMatch((m) -> m.has("media"));
		assertThat(refused("bad-token")).isEqualTo(before + 1);
		assertThat(this.calls.outcomeOf("CAvictim1")).as("the victim's Connect action is untouched").isEmpty();
	}

	@Test
	void aTokenIsBoundToItsAccountToo() throws Exception {
		double before = refused("bad-token");
		Map<String, String> parameters = twilio().answer("CAaccount1", "ACfake");
		FakeTwilioCall call = twilio().stream("MZaccount1", "CAaccount1");
		call.start("ACsomeoneelse", parameters);
		assertThat(call.awaitClosed(WAIT)).isEqualTo(1008);
		assertThat(refused("bad-token")).isEqualTo(before + 1);
	}

	@Test
	void aTokenOpensOneStreamOnly() throws Exception {
		double before = refused("reused");
		Map<String, String> parameters = twilio().answer("CAonce1", "ACfake");
		FakeTwilioCall first = twilio().stream("MZonce1", "CAonce1");
		first.start(parameters);
		first.media(Audio.frame(5));
		assertThat(first.next("media", WAIT)).isNotNull();

		FakeTwilioCall replay = twilio().stream("MZonce2", "CAonce1");
		replay.start(parameters);
		assertThat(replay.awaitClosed(WAIT)).isEqualTo(1008);
		assertThat(refused("reused")).isEqualTo(before + 1);
		first.stop();
		assertThat(first.awaitClosed(WAIT)).isEqualTo(1000);
	}

	@Test
	void aStartWithoutATokenOrWithAnExpiredOneIsClosed() throws Exception {
		double missing = refused("no-token");
		FakeTwilioCall bare = twilio().stream("MZbare1", "CAbare1");
		bare.start(Map.of());
		assertThat(bare.awaitClosed(WAIT)).isEqualTo(1008);
		assertThat(refused("no-token")).isEqualTo(missing + 1);

		double expired = refused("expired");
		// issued with the service's key six minutes ago: valid then, five minutes of life
		Clock past = Clock.fixed(Instant.now().minus(Duration.ofMinutes(6)), ZoneOffset.UTC);
		Map<String, String> old = new HashMap<>();
		old.put(StreamTokens.PARAMETER, new StreamTokens(TOKEN, Duration.ofMinutes(5), past).issue("CAold1", "ACfake"));
		FakeTwilioCall late = twilio().stream("MZold1", "CAold1");
		late.start(old);
		assertThat(late.awaitClosed(WAIT)).isEqualTo(1008);
		assertThat(refused("expired")).isEqualTo(expired + 1);
	}

	@Test
	void aSignedStreamThatNeverStartsIsClosedAtTheStartTimeout() throws Exception {
		double before = refused("no-start");
		FakeTwilioCall idle = twilio().stream("MZidle1", "CAidle1");
		assertThat(idle.awaitClosed(WAIT)).isEqualTo(1008);
		assertThat(refused("no-start")).isEqualTo(before + 1);
	}

	private double refused(String reason) {
		return this.meters.counter("voicebridge.streams.refused", "reason", reason).count();
	}

}

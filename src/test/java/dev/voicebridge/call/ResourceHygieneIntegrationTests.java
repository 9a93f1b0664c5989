package dev.voicebridge.call;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.sun.management.UnixOperatingSystemMXBean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.voicebridge.testing.Audio;
import dev.voicebridge.testing.FakeRealtimeServer;
import dev.voicebridge.testing.FakeTwilioCall;
import dev.voicebridge.testing.SharedRealtimeUpstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nothing outlives a call: after 500 calls (one at a time, then 50 at once) ending normally,
 * through upstream failures and through abrupt drops, the threads, open files, registry entries
 * and upstream sockets are back where they started.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "voicebridge.openai.api-key=sk-test",
		"voicebridge.twilio.validate-signatures=false" })
@ExtendWith(SharedRealtimeUpstream.class)
class ResourceHygieneIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final FakeRealtimeServer openai = SharedRealtimeUpstream.server();

	@LocalServerPort
	private int port;

	@Autowired
	private CallRegistry calls;

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		registry.add("voicebridge.openai.realtime-url", openai::url);
	}

	@Test
	void fiveHundredCallsLeaveNothingBehind() throws Exception {
		// warm the pools (Tomcat and OkHttp keep idle threads for a while) before the baseline
		concurrentRound(0, 50);
		await().atMost(WAIT).until(() -> this.calls.activeCount() == 0);
		int threads = threads();
		long files = openFiles();

		List<FakeRealtimeServer.Connection> upstreams = new ArrayList<>();
		for (int i = 0; i < 250; i++) {
			Call call = open(1000 + i);
			upstreams.add(call.upstream());
			end(call, i);
		}
		for (int round = 0; round < 5; round++) {
			upstreams.addAll(concurrentRound(2000 + round * 100, 50));
		}

		await().atMost(WAIT).until(() -> this.calls.activeCount() == 0);
		for (FakeRealtimeServer.Connection upstream : upstreams) {
			upstream.awaitClosed(WAIT);
		}
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(threads()).as("threads").isLessThanOrEqualTo(threads + 8);
			assertThat(openFiles()).as("open files").isLessThanOrEqualTo(files + 16);
		});
		assertThat(this.calls.active()).isEmpty();
	}

	/** Opens {@code count} calls at once, then ends them all at once; returns their upstreams. */
	private List<FakeRealtimeServer.Connection> concurrentRound(int base, int count) throws Exception {
		List<Call> open = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			open.add(open(base + i));
		}
		assertThat(this.calls.activeCount()).isEqualTo(count);
		ExecutorService enders = Executors.newFixedThreadPool(count);
		try {
			List<Future<?>> ended = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				Call call = open.get(i);
				int kind = i;
				ended.add(enders.submit(() -> {
					end(call, kind);
					return null;
				}));
			}
			for (Future<?> future : ended) {
				future.get();
			}
		}
		finally {
			enders.shutdown();
		}
		return open.stream().map(Call::upstream).toList();
	}

	/** A live call: connected, configured upstream, started, one frame relayed. */
	private Call open(int n) throws Exception {
		String id = String.format("%030d", n);
		FakeTwilioCall twilio = FakeTwilioCall.connect("ws://localhost:" + this.port + "/twilio-media", "MZ" + id,
				"CA" + id);
		FakeRealtimeServer.Connection upstream = openai.nextConnection(WAIT);
		upstream.next("session.update", WAIT);
		twilio.start(Map.of());
		String frame = Audio.frame(n);
		twilio.media(frame);
		assertThat(upstream.next("input_audio_buffer.append", WAIT).path("audio").asText()).isEqualTo(frame);
		return new Call(twilio, upstream);
	}

	/** Ends a call one of three ways: Twilio's stop, the upstream dropping, or Twilio vanishing. */
	private void end(Call call, int kind) throws InterruptedException {
		switch (kind % 3) {
			case 0 -> {
				call.twilio().stop();
				call.twilio().awaitClosed(WAIT);
			}
			case 1 -> {
				call.upstream().closeWith(1011);
				call.twilio().awaitClosed(WAIT);
			}
			default -> call.twilio().drop();
		}
	}

	private static int threads() {
		return ManagementFactory.getThreadMXBean().getThreadCount();
	}

	private static long openFiles() {
		return ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getOpenFileDescriptorCount();
	}

	private record Call(FakeTwilioCall twilio, FakeRealtimeServer.Connection upstream) {
	}

}

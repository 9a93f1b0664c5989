package dev.voicebridge.shared;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.voicebridge.VoiceBridgeApplication;
import dev.voicebridge.testing.FakeChatServer;
import dev.voicebridge.testing.FakeRealtimeServer;
import dev.voicebridge.testing.FakeTwilioCall;
import dev.voicebridge.testing.RedisServer;
import dev.voicebridge.testing.RequiresProgram;
import dev.voicebridge.testing.TestProgram;
import dev.voicebridge.testing.TwilioForms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances behind one number, sharing a real {@code redis-server}: a conversation goes on
 * when its turns alternate between them, and the run-time probability, the breaker and what a
 * call's stream did are the same whichever instance Twilio reaches.
 */
@RequiresProgram(TestProgram.REDIS_SERVER)
class TwoInstancesIntegrationTests {

	private static final String ADMIN = "admin-two-instances-0123456789abcdef0123456789abcdef";

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static RedisServer redis;

	private static FakeChatServer chat;

	private static FakeRealtimeServer realtime;

	private static ConfigurableApplicationContext first;

	private static ConfigurableApplicationContext second;

	private final OkHttpClient http = new OkHttpClient();

	@BeforeAll
	static void startInstances() {
		redis = RedisServer.start();
		chat = new FakeChatServer();
		realtime = new FakeRealtimeServer();
		first = instance();
		second = instance();
	}

	@AfterAll
	static void stopInstances() {
		// each may be null when set-up stopped part-way; a method reference on a null field would throw here
		for (AutoCloseable closeable : new AutoCloseable[] { second, first, chat, realtime, redis }) {
			try {
				if (closeable != null) {
					closeable.close();
				}
			}
			catch (Exception ex) {
				// best effort: the others must still stop
			}
		}
	}

	private static ConfigurableApplicationContext instance() {
		return new SpringApplicationBuilder(VoiceBridgeApplication.class).run("--server.port=0",
				"--spring.data.redis.url=" + redis.url(), "--voicebridge.openai.api-key=sk-two", "--voicebridge.twilio.validate-signatures=false",
				"--voicebridge.openai.api-base-url=" + chat.baseUrl(),
				"--voicebridge.openai.realtime-url=" + realtime.url(), "--voicebridge.agent.instructions=Be brief.",
				"--voicebridge.admin-token=" + ADMIN, "--voicebridge.routing.breaker.failures=2",
				"--voicebridge.routing.breaker.trial-every=1000");
	}

	@BeforeEach
	void reset() throws IOException {
		chat.reset();
		realtime.reset();
		admin(first, "/realtime-api-config?probability=1.0");
		SharedState state = first.getBean(SharedState.class);
		for (String key : new String[] { "routing:breaker:open", "routing:breaker:failures", "routing:breaker:trials" }) {
			state.delete(key);
		}
	}

	@Test
	void aConversationContinuesWhenItsTurnsAlternateBetweenInstances() {
		chat.reply("Hi, how can I help?");
		assertThat(turn(first, "CAalt1", "Hello").body()).contains("<Say>Hi, how can I help?</Say>");
		chat.take();
		chat.reply("Sure, which order?");
		assertThat(turn(second, "CAalt1", "I want to change my order").body()).contains("<Say>Sure, which order?</Say>");
		chat.take();
		chat.reply("Done.");
		assertThat(turn(first, "CAalt1", "Order 42").body()).contains("<Say>Done.</Say>");
		assertThat(chat.take().body().path("messages").toString())
			.isEqualTo("[{\"role\":\"system\",\"content\":\"Be brief.\"},"
					+ "{\"role\":\"user\",\"content\":\"Hello\"},"
					+ "{\"role\":\"assistant\",\"content\":\"Hi, how can I help?\"},"
					+ "{\"role\":\"user\",\"content\":\"I want to change my order\"},"
					+ "{\"role\":\"assistant\",\"content\":\"Sure, which order?\"},"
					+ "{\"role\":\"user\",\"content\":\"Order 42\"}]");
	}

	@Test
	void aProbabilitySetOnOneInstanceRoutesCallsOnTheOther() throws IOException {
		assertThat(voice(second, "CAprob2")).contains("<Connect");
		assertThat(admin(first, "/realtime-api-config?probability=0").path("probability").asDouble()).isEqualTo(0.0);
		assertThat(voice(second, "CAprob3")).contains("<Gather").doesNotContain("<Connect");
		assertThat(status(second).path("routing").path("probabilitySource").asString()).isEqualTo("admin");
	}

	@Test
	void theBreakerIsSharedAndAStreamOnEitherInstanceClosesIt() throws Exception {
		for (String callSid : new String[] { "CAbrkA", "CAbrkB" }) {
			TwilioForms.post(url(first, "/twilio/stream-status"), Map.of("CallSid", callSid, "StreamSid", "MZ" + callSid,
					"StreamEvent", "stream-error", "StreamError", "31920"));
		}
		// the breaker's count is written off the request's thread: the second instance sees it soon after
		await().atMost(WAIT)
			.until(() -> "open".equals(status(second).path("routing").path("breaker").path("state").asString()));
		assertThat(status(second).path("routing").path("sharedState").asString()).isEqualTo("redis");
		assertThat(voice(second, "CAbrkC")).contains("<Gather").doesNotContain("<Connect");

		FakeTwilioCall call = FakeTwilioCall.connect("ws://localhost:" + port(second) + "/twilio-media", "MZbrkD",
				"CAbrkD");
		call.start(Map.of());
		await().atMost(WAIT)
			.until(() -> "closed".equals(status(first).path("routing").path("breaker").path("state").asString()));
		assertThat(voice(first, "CAbrkE")).contains("<Connect");
		call.close();
	}

	@Test
	void aCallFailsOverWhenItsCallbacksLandOnDifferentInstances() {
		assertThat(voice(first, "CAcross1")).contains("<Connect");
		TwilioForms.post(url(first, "/twilio/stream-status"),
				Map.of("CallSid", "CAcross1", "StreamSid", "MZcross1", "StreamEvent", "stream-error", "StreamError", "x"));
		assertThat(TwilioForms.post(url(second, "/twilio/stream-action"), Map.of("CallSid", "CAcross1")).body())
			.contains("<Gather").contains("had trouble connecting you");

		assertThat(voice(second, "CAcross2")).contains("<Connect");
		assertThat(TwilioForms.post(url(first, "/twilio/stream-action"), Map.of("CallSid", "CAcross2")).body())
			.as("handed a Stream URL by one instance, never started on either").contains("<Gather");
	}

	@Test
	void healthStaysUpWithRedisReachable() throws IOException {
		try (Response response = this.http.newCall(new Request.Builder().url(url(first, "/actuator/health")).build())
			.execute()) {
			assertThat(response.code()).isEqualTo(200);
			assertThat(response.body().string()).contains("\"status\":\"UP\"");
		}
	}

	@Test
	void anInstanceWhoseRedisIsDownStillAnswersCallers() {
		try (ConfigurableApplicationContext lonely = new SpringApplicationBuilder(VoiceBridgeApplication.class).run(
				"--server.port=0", "--spring.data.redis.url=redis://127.0.0.1:1", "--voicebridge.openai.api-key=",
				"--voicebridge.routing.realtime-probability=1.0")) {
			assertThat(voice(lonely, "CAdown1")).contains("<Connect");
			TwilioForms.Answer turn = turn(lonely, "CAdown1", "anyone there");
			assertThat(turn.status()).isEqualTo(200);
			assertThat(turn.body()).contains("<Say>You said: anyone there</Say>").contains("<Gather");
		}
	}

	private TwilioForms.Answer turn(ConfigurableApplicationContext instance, String callSid, String speech) {
		return TwilioForms.post(url(instance, "/twilio/gather"), Map.of("CallSid", callSid, "SpeechResult", speech));
	}

	private String voice(ConfigurableApplicationContext instance, String callSid) {
		return TwilioForms.post(url(instance, "/twilio/voice"), Map.of("CallSid", callSid)).body();
	}

	private JsonNode admin(ConfigurableApplicationContext instance, String path) throws IOException {
		Request request = new Request.Builder().url(url(instance, path))
			.header("Authorization", "Bearer " + ADMIN)
			.post(RequestBody.create(new byte[0]))
			.build();
		try (Response response = this.http.newCall(request).execute()) {
			assertThat(response.code()).isEqualTo(200);
			return JsonMapper.shared().readTree(response.body().string());
		}
	}

	private JsonNode status(ConfigurableApplicationContext instance) throws IOException {
		try (Response response = this.http.newCall(new Request.Builder().url(url(instance, "/websocket-status")).build())
			.execute()) {
			return JsonMapper.shared().readTree(response.body().string());
		}
	}

	private static String url(ConfigurableApplicationContext instance, String path) {
		return "http://localhost:" + port(instance) + path;
	}

	private static int port(ConfigurableApplicationContext instance) {
		return Integer.parseInt(instance.getEnvironment().getProperty("local.server.port"));
	}

}

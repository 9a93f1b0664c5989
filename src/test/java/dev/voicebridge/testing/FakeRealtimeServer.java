package dev.voicebridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * An in-process imitation of the OpenAI Realtime API (GA) on a random port: answers the
 * WebSocket upgrade, sends {@code session.created}, answers {@code session.update} with
 * {@code session.updated}, and lets a test push server events. Every client event it receives
 * is validated against OpenAI's published schema; {@link #schemaViolations()} collects failures.
 */
public final class FakeRealtimeServer implements AutoCloseable {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final MockWebServer server = new MockWebServer();

	private final BlockingQueue<Connection> connections = new LinkedBlockingQueue<>();

	private final List<String> violations = Collections.synchronizedList(new ArrayList<>());

	private final List<RecordedRequest> handshakes = Collections.synchronizedList(new ArrayList<>());

	private volatile boolean autoConfigure = true;

	private volatile boolean echo;

	private volatile int refuseWith;

	private volatile String refusalBody = "{\"error\":{\"message\":\"refused by the fake\"}}";

	private volatile boolean stall;

	private volatile boolean refuseSessionUpdate;

	private volatile int closeOnOpen;

	private volatile CountDownLatch handshakeGate = new CountDownLatch(0);

	public FakeRealtimeServer() {
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				FakeRealtimeServer.this.handshakes.add(request);
				try {
					FakeRealtimeServer.this.handshakeGate.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				if (FakeRealtimeServer.this.stall) {
					return new MockResponse.Builder().headersDelay(60, TimeUnit.SECONDS).build();
				}
				if (FakeRealtimeServer.this.refuseWith != 0) {
					// close the connection with the refusal: a pooled keep-alive connection would
					// otherwise carry the relay's next handshake, and OkHttp's retry of it could
					// leave a second, stale connection in the queue for the next test
					return new MockResponse.Builder().code(FakeRealtimeServer.this.refuseWith)
						.setHeader("Connection", "close")
						.body(FakeRealtimeServer.this.refusalBody)
						.build();
				}
				Connection connection = new Connection(FakeRealtimeServer.this.autoConfigure,
						FakeRealtimeServer.this.echo, FakeRealtimeServer.this.refuseSessionUpdate,
						FakeRealtimeServer.this.closeOnOpen);
				FakeRealtimeServer.this.connections.add(connection);
				return new MockResponse.Builder().webSocketUpgrade(connection).build();
			}
		});
		try {
			this.server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public int port() {
		return this.server.getPort();
	}

	/** The base URL to give as {@code OPENAI_REALTIME_URL}. */
	public String url() {
		return "ws://localhost:" + this.server.getPort() + "/v1/realtime";
	}

	/** Answer {@code session.update} at once (true) or only when the test calls {@link Connection#configure()}. */
	public FakeRealtimeServer autoConfigure(boolean value) {
		this.autoConfigure = value;
		return this;
	}

	/** Echo each appended frame back as a {@code response.output_audio.delta}. */
	public FakeRealtimeServer echo(boolean value) {
		this.echo = value;
		return this;
	}

	/** Answer the next handshakes with this HTTP status instead of upgrading (0 to accept again). */
	public FakeRealtimeServer refuseWith(int status) {
		this.refuseWith = status;
		return this;
	}

	/** Answer the next handshakes with this HTTP status and body (Azure OpenAI's error shape, say). */
	public FakeRealtimeServer refuseWith(int status, String body) {
		this.refusalBody = body;
		this.refuseWith = status;
		return this;
	}

	/** Never answer the next handshakes, like an upstream that is unreachable behind a firewall. */
	public FakeRealtimeServer stall(boolean value) {
		this.stall = value;
		return this;
	}

	/**
	 * Answer {@code session.update} with the error OpenAI sends for a mistyped voice (and never
	 * {@code session.updated}), as for {@code OPENAI_VOICE=marn}.
	 */
	public FakeRealtimeServer refuseSessionUpdate(boolean value) {
		this.refuseSessionUpdate = value;
		return this;
	}

	/** Accept the next handshakes, then close each socket at once with this code (0: don't). */
	public FakeRealtimeServer closeOnOpen(int code) {
		this.closeOnOpen = code;
		return this;
	}

	/** Holds the next handshakes unanswered until {@link #releaseHandshakes()}. */
	public FakeRealtimeServer holdHandshakes() {
		this.handshakeGate = new CountDownLatch(1);
		return this;
	}

	/** Answers the held handshakes, as configured at the moment of release. */
	public void releaseHandshakes() {
		this.handshakeGate.countDown();
	}

	/** Waits until {@code count} handshakes have arrived since the last reset. */
	public void awaitHandshakes(int count, Duration timeout) {
		org.awaitility.Awaitility.await().atMost(timeout).until(() -> this.handshakes.size() >= count);
	}

	/** Resets behaviour and forgets earlier connections and schema violations. */
	public void reset() {
		this.violations.clear();
		this.handshakeGate.countDown();
		this.refuseSessionUpdate = false;
		this.closeOnOpen = 0;
		this.stall = false;
		this.autoConfigure = true;
		this.echo = false;
		this.refuseWith = 0;
		this.refusalBody = "{\"error\":{\"message\":\"refused by the fake\"}}";
		this.connections.clear();
		this.handshakes.clear();
	}

	/** The next upstream connection a call opened. */
	public Connection nextConnection(Duration timeout) throws InterruptedException {
		Connection connection = this.connections.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
		if (connection == null) {
			throw new AssertionError("no upstream connection within " + timeout);
		}
		connection.awaitOpen(timeout);
		return connection;
	}

	public List<String> schemaViolations() {
		return List.copyOf(this.violations);
	}

	public List<RecordedRequest> handshakes() {
		return List.copyOf(this.handshakes);
	}

	@Override
	public void close() {
		this.server.close();
	}

	/** One call's upstream WebSocket, as the server sees it. */
	public final class Connection extends WebSocketListener {

		private final boolean autoConfigure;

		private final boolean echo;

		private final boolean refuseSessionUpdate;

		private final int closeOnOpen;

		private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();

		private final List<String> rawEvents = Collections.synchronizedList(new ArrayList<>());

		private final CountDownLatch opened = new CountDownLatch(1);

		private final CountDownLatch closed = new CountDownLatch(1);

		private final AtomicInteger echoed = new AtomicInteger();

		private volatile WebSocket socket;

		private volatile int closeCode = -1;

		Connection(boolean autoConfigure, boolean echo, boolean refuseSessionUpdate, int closeOnOpen) {
			this.autoConfigure = autoConfigure;
			this.echo = echo;
			this.refuseSessionUpdate = refuseSessionUpdate;
			this.closeOnOpen = closeOnOpen;
		}

		@Override
		public void onOpen(WebSocket webSocket, Response response) {
			this.socket = webSocket;
			if (this.closeOnOpen != 0) {
				webSocket.close(this.closeOnOpen, "closed by the fake on open");
			}
			else {
				webSocket.send("{\"type\":\"session.created\",\"event_id\":\"event_1\",\"session\":{\"type\":\"realtime\",\"id\":\"sess_1\"}}");
			}
			this.opened.countDown();
		}

		@Override
		public void onMessage(WebSocket webSocket, String text) {
			for (String violation : RealtimeEventSchema.clientEventViolations(text)) {
				FakeRealtimeServer.this.violations.add(violation + " in " + abbreviate(text));
			}
			JsonNode event = parse(text);
			this.rawEvents.add(text);
			this.events.add(event);
			String type = event.path("type").asString();
			if ("session.update".equals(type) && this.refuseSessionUpdate) {
				send("{\"type\":\"error\",\"event_id\":\"event_2\",\"error\":{\"type\":\"invalid_request_error\","
						+ "\"code\":\"invalid_value\",\"message\":\"Invalid value: 'marn'. Supported values are: 'alloy', "
						+ "'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse', 'marin', and 'cedar'.\","
						+ "\"param\":\"session.audio.output.voice\",\"event_id\":null}}");
			}
			else if ("session.update".equals(type) && this.autoConfigure) {
				configure();
			}
			if ("input_audio_buffer.append".equals(type) && this.echo) {
				int n = this.echoed.incrementAndGet();
				delta("resp_echo", "item_echo", event.path("audio").asString());
				if (n == 1) {
					send("{\"type\":\"response.created\",\"event_id\":\"e\",\"response\":{\"id\":\"resp_echo\",\"status\":\"in_progress\"}}");
				}
			}
		}

		@Override
		public void onClosing(WebSocket webSocket, int code, String reason) {
			this.closeCode = code;
			webSocket.close(1000, null);
			this.closed.countDown();
		}

		@Override
		public void onFailure(WebSocket webSocket, Throwable t, Response response) {
			this.closed.countDown();
		}

		void awaitOpen(Duration timeout) throws InterruptedException {
			if (!this.opened.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new AssertionError("upstream connection did not open within " + timeout);
			}
		}

		/** Answers the session configuration: the relay may now send audio. */
		public void configure() {
			send("{\"type\":\"session.updated\",\"event_id\":\"event_2\",\"session\":{\"type\":\"realtime\",\"id\":\"sess_1\",\"audio\":{\"input\":{\"format\":{\"type\":\"audio/pcmu\"}},\"output\":{\"format\":{\"type\":\"audio/pcmu\"}}}}}");
		}

		public void responseCreated(String responseId) {
			send("{\"type\":\"response.created\",\"event_id\":\"e\",\"response\":{\"id\":\"" + responseId
					+ "\",\"object\":\"realtime.response\",\"status\":\"in_progress\",\"output\":[]}}");
		}

		public void delta(String responseId, String itemId, String payload) {
			send("{\"type\":\"response.output_audio.delta\",\"event_id\":\"e\",\"response_id\":\"" + responseId
					+ "\",\"item_id\":\"" + itemId + "\",\"output_index\":0,\"content_index\":0,\"delta\":\"" + payload
					+ "\"}");
		}

		public void audioDone(String responseId, String itemId) {
			send("{\"type\":\"response.output_audio.done\",\"event_id\":\"e\",\"response_id\":\"" + responseId
					+ "\",\"item_id\":\"" + itemId + "\",\"output_index\":0,\"content_index\":0}");
		}

		public void responseDone(String responseId) {
			send("{\"type\":\"response.done\",\"event_id\":\"e\",\"response\":{\"id\":\"" + responseId
					+ "\",\"object\":\"realtime.response\",\"status\":\"completed\",\"output\":[]}}");
		}

		public void agentTranscript(String itemId, String text) {
			send("{\"type\":\"response.output_audio_transcript.done\",\"event_id\":\"e\",\"response_id\":\"r\","
					+ "\"item_id\":\"" + itemId + "\",\"output_index\":0,\"content_index\":0,\"transcript\":\"" + text
					+ "\"}");
		}

		public void agentTranscript(String text) {
			send("{\"type\":\"response.output_audio_transcript.done\",\"event_id\":\"e\",\"response_id\":\"r\","
					+ "\"item_id\":\"i\",\"output_index\":0,\"content_index\":0,\"transcript\":\"" + text + "\"}");
		}

		public void callerTranscript(String text) {
			send("{\"type\":\"conversation.item.input_audio_transcription.completed\",\"event_id\":\"e\","
					+ "\"item_id\":\"c\",\"content_index\":0,\"transcript\":\"" + text + "\"}");
		}

		/** The model calls a function tool (GA: arguments streamed, then this event). */
		public void functionCall(String responseId, String callId, String name) {
			send("{\"type\":\"response.function_call_arguments.done\",\"event_id\":\"e\",\"response_id\":\"" + responseId
					+ "\",\"item_id\":\"fc_1\",\"output_index\":0,\"call_id\":\"" + callId + "\",\"name\":\"" + name
					+ "\",\"arguments\":\"{\\\"reason\\\":\\\"done\\\"}\"}");
		}

		public void speechStarted() {
			send("{\"type\":\"input_audio_buffer.speech_started\",\"event_id\":\"e\",\"audio_start_ms\":1000,\"item_id\":\"item_caller\"}");
		}

		public void error(String code, String message) {
			send("{\"type\":\"error\",\"event_id\":\"e\",\"error\":{\"type\":\"invalid_request_error\",\"code\":\"" + code
					+ "\",\"message\":\"" + message + "\",\"param\":null,\"event_id\":null}}");
		}

		public void send(String event) {
			this.socket.send(event);
		}

		/** A response whose status says how it ended: {@code completed}, {@code cancelled}, ... */
		public void responseDone(String responseId, String status) {
			send("{\"type\":\"response.done\",\"event_id\":\"e\",\"response\":{\"id\":\"" + responseId
					+ "\",\"object\":\"realtime.response\",\"status\":\"" + status + "\",\"output\":[]}}");
		}

		/** The server committed the caller's audio as a user item (server VAD, after speech stopped). */
		public void committed(String itemId) {
			send("{\"type\":\"input_audio_buffer.committed\",\"event_id\":\"e\",\"previous_item_id\":null,"
					+ "\"item_id\":\"" + itemId + "\"}");
		}

		public void speechStopped() {
			send("{\"type\":\"input_audio_buffer.speech_stopped\",\"event_id\":\"e\",\"audio_end_ms\":2000,"
					+ "\"item_id\":\"item_caller\"}");
		}

		/** Closes the upstream from the server's side. */
		public void closeWith(int code) {
			this.socket.close(code, "closed by the fake");
		}

		/** The next client event of a type, skipping others; fails after the timeout. */
		public JsonNode next(String type, Duration timeout) throws InterruptedException {
			long deadline = System.nanoTime() + timeout.toNanos();
			while (true) {
				long left = deadline - System.nanoTime();
				JsonNode event = this.events.poll(Math.max(left, 0), TimeUnit.NANOSECONDS);
				if (event == null) {
					throw new AssertionError("no " + type + " within " + timeout + "; received " + types());
				}
				if (type.equals(event.path("type").asString())) {
					return event;
				}
			}
		}

		/** The next client event of any of these types, skipping others; fails after the timeout. */
		public JsonNode nextOf(Duration timeout, String... types) throws InterruptedException {
			long deadline = System.nanoTime() + timeout.toNanos();
			while (true) {
				long left = deadline - System.nanoTime();
				JsonNode event = this.events.poll(Math.max(left, 0), TimeUnit.NANOSECONDS);
				if (event == null) {
					throw new AssertionError("no " + List.of(types) + " within " + timeout + "; received " + types());
				}
				if (List.of(types).contains(event.path("type").asString())) {
					return event;
				}
			}
		}

		/** Every client event received so far, in order, raw. */
		public List<String> rawEvents() {
			return List.copyOf(this.rawEvents);
		}

		/** Types of every client event received so far. */
		public List<String> types() {
			return rawEvents().stream().map((raw) -> parse(raw).path("type").asString()).toList();
		}

		/** Waits for the relay to close this connection; returns the close code (-1 if it was dropped). */
		public int awaitClosed(Duration timeout) throws InterruptedException {
			if (!this.closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new AssertionError("upstream connection still open after " + timeout);
			}
			return this.closeCode;
		}

		public boolean isClosed() {
			return this.closed.getCount() == 0;
		}

	}

	static JsonNode parse(String text) {
		try {
			return JSON.readTree(text);
		}
		catch (JacksonException ex) {
			ObjectNode invalid = JSON.createObjectNode();
			invalid.put("type", "<not json>");
			return invalid;
		}
	}

	private static String abbreviate(String text) {
		return (text.length() > 200) ? text.substring(0, 200) + "..." : text;
	}

}

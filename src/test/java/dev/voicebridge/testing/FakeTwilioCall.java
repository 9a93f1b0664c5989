package dev.voicebridge.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * Imitates Twilio's side of a Media Streams WebSocket: {@code connected}, {@code start},
 * {@code media} frames with numbers as strings, {@code mark} echoes once "played", and
 * {@code stop}. Records every message the relay sends back.
 */
public final class FakeTwilioCall extends WebSocketListener implements AutoCloseable {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final OkHttpClient CLIENT = new OkHttpClient.Builder().readTimeout(Duration.ZERO).build();

	private final String streamSid;

	private final String callSid;

	private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();

	private final List<JsonNode> all = new ArrayList<>();

	private final CountDownLatch opened = new CountDownLatch(1);

	private final CountDownLatch closed = new CountDownLatch(1);

	private final AtomicInteger sequence = new AtomicInteger();

	private final AtomicInteger chunk = new AtomicInteger();

	private volatile boolean playMarks = true;

	private volatile WebSocket socket;

	private volatile int closeCode = -1;

	private volatile Response failedHandshake;

	private volatile Throwable failure;

	private FakeTwilioCall(String streamSid, String callSid) {
		this.streamSid = streamSid;
		this.callSid = callSid;
	}

	/** Opens the stream as Twilio would and sends {@code connected}. */
	public static FakeTwilioCall connect(String url, String streamSid, String callSid) throws InterruptedException {
		return connect(url, streamSid, callSid, Map.of());
	}

	/** Opens the stream with extra handshake headers, e.g. {@code X-Twilio-Signature}. */
	public static FakeTwilioCall connect(String url, String streamSid, String callSid, Map<String, String> headers)
			throws InterruptedException {
		FakeTwilioCall call = new FakeTwilioCall(streamSid, callSid);
		Request.Builder request = new Request.Builder().url(url);
		headers.forEach(request::header);
		call.socket = CLIENT.newWebSocket(request.build(), call);
		if (!call.opened.await(10, TimeUnit.SECONDS) || call.failedHandshake != null || call.failure != null) {
			throw new AssertionError("stream did not open: " + call.failedHandshake + " " + call.failure);
		}
		// the relay may already be closing the stream (e.g. its agent was refused): no assertion here
		call.socket.send("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}");
		return call;
	}

	/** Whether marks are echoed as soon as they arrive (Twilio echoes them once played). */
	public FakeTwilioCall playMarks(boolean value) {
		this.playMarks = value;
		return this;
	}

	public void start(Map<String, String> customParameters) {
		start("ACfake", customParameters);
	}

	/** Sends {@code start} as the stream of a call in the account {@code accountSid}. */
	public void start(String accountSid, Map<String, String> customParameters) {
		ObjectNode message = JSON.createObjectNode();
		message.put("event", "start");
		message.put("sequenceNumber", Integer.toString(this.sequence.incrementAndGet()));
		ObjectNode start = message.putObject("start");
		start.put("accountSid", accountSid);
		start.put("streamSid", this.streamSid);
		start.put("callSid", this.callSid);
		start.putArray("tracks").add("inbound");
		ObjectNode format = start.putObject("mediaFormat");
		format.put("encoding", "audio/x-mulaw");
		format.put("sampleRate", 8000);
		format.put("channels", 1);
		ObjectNode parameters = start.putObject("customParameters");
		customParameters.forEach(parameters::put);
		message.put("streamSid", this.streamSid);
		send(message.toString());
	}

	public void media(String payload) {
		int n = this.chunk.incrementAndGet();
		send("{\"event\":\"media\",\"sequenceNumber\":\"" + this.sequence.incrementAndGet() + "\",\"media\":{\"track\":\"inbound\",\"chunk\":\""
				+ n + "\",\"timestamp\":\"" + (n * 20) + "\",\"payload\":\"" + payload + "\"},\"streamSid\":\""
				+ this.streamSid + "\"}");
	}

	/** Tells the relay that the audio before a mark has played. */
	public void markPlayed(String name) {
		send("{\"event\":\"mark\",\"sequenceNumber\":\"" + this.sequence.incrementAndGet() + "\",\"streamSid\":\""
				+ this.streamSid + "\",\"mark\":{\"name\":\"" + name + "\"}}");
	}

	public void stop() {
		send("{\"event\":\"stop\",\"sequenceNumber\":\"" + this.sequence.incrementAndGet() + "\",\"streamSid\":\""
				+ this.streamSid + "\",\"stop\":{\"accountSid\":\"ACfake\",\"callSid\":\"" + this.callSid + "\"}}");
	}

	public void send(String text) {
		if (!this.socket.send(text)) {
			throw new AssertionError("fake Twilio could not send: socket closed");
		}
	}

	/** Drops the socket without a close handshake, like a network failure. */
	public void drop() {
		this.socket.cancel();
	}

	/** The next message from the relay; fails after the timeout. */
	public JsonNode next(Duration timeout) throws InterruptedException {
		JsonNode message = this.received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
		if (message == null) {
			throw new AssertionError("no message from the relay within " + timeout);
		}
		return message;
	}

	/** The next message of an event type, skipping others. */
	public JsonNode next(String event, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			long left = Math.max(0, deadline - System.nanoTime());
			JsonNode message = this.received.poll(left, TimeUnit.NANOSECONDS);
			if (message == null) {
				throw new AssertionError("no " + event + " from the relay within " + timeout);
			}
			if (event.equals(message.path("event").asString())) {
				return message;
			}
		}
	}

	/** Collects agent audio until {@code bytes} bytes have arrived; returns the payloads in order. */
	public List<String> mediaUntil(int bytes, Duration timeout) throws InterruptedException {
		List<String> payloads = new ArrayList<>();
		int total = 0;
		while (total < bytes) {
			String payload = next("media", timeout).path("media").path("payload").asString();
			payloads.add(payload);
			total += Audio.decode(payload).length;
		}
		return payloads;
	}

	/** Every message received so far, in order. */
	public synchronized List<JsonNode> all() {
		return List.copyOf(this.all);
	}

	/** Waits for the relay to close the stream; returns its close code. */
	public int awaitClosed(Duration timeout) throws InterruptedException {
		if (!this.closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new AssertionError("stream still open after " + timeout);
		}
		return this.closeCode;
	}

	public String callSid() {
		return this.callSid;
	}

	public String streamSid() {
		return this.streamSid;
	}

	@Override
	public void onOpen(WebSocket webSocket, Response response) {
		this.opened.countDown();
	}

	@Override
	public void onMessage(WebSocket webSocket, String text) {
		JsonNode message = FakeRealtimeServer.parse(text);
		synchronized (this) {
			this.all.add(message);
		}
		if (this.playMarks && "mark".equals(message.path("event").asString())) {
			// Twilio echoes a mark once the audio before it has played; here, at once
			webSocket.send("{\"event\":\"mark\",\"sequenceNumber\":\"" + this.sequence.incrementAndGet()
					+ "\",\"streamSid\":\"" + this.streamSid + "\",\"mark\":{\"name\":\""
					+ message.path("mark").path("name").asString() + "\"}}");
		}
		this.received.add(message);
	}

	@Override
	public void onClosing(WebSocket webSocket, int code, String reason) {
		this.closeCode = code;
		webSocket.close(1000, null);
		this.closed.countDown();
	}

	@Override
	public void onFailure(WebSocket webSocket, Throwable t, Response response) {
		this.failedHandshake = response;
		this.failure = t;
		this.opened.countDown();
		this.closed.countDown();
	}

	@Override
	public void close() {
		this.socket.close(1000, null);
	}

}

package dev.voicebridge.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.voicebridge.twilio.TwilioSignature;


/**
 * One phone call as Twilio makes it: a signed webhook POST, the signed stream handshake to the
 * URL in the answer's {@code <Stream>}, {@code connected} and {@code start}, then a caller frame
 * every 20 ms until stopped, then {@code stop} and a normal close. Marks the bridge sends are
 * echoed at once, as Twilio does when the audio before them has been sent to the phone.
 */
final class SimulatedCall implements WebSocket.Listener {

	private static final Pattern STREAM_URL = Pattern.compile("<Stream[^>]*url=\"([^\"]+)\"");

	private static final Pattern PARAMETER = Pattern.compile("<Parameter ([^>]*)/>");

	private static final Pattern NAME = Pattern.compile("name=\"([^\"]*)\"");

	private static final Pattern VALUE = Pattern.compile("value=\"([^\"]*)\"");

	private String customParameters = "{}";

	private final int index;

	private final String callSid;

	private final String streamSid;

	private final FrameLog log;

	private final StringBuilder partial = new StringBuilder();

	private final Object sending = new Object();

	private CompletableFuture<WebSocket> tail;

	private WebSocket socket;

	private int seq;

	private int chunk;

	private volatile long firstAudioNanos;

	private long startNanos;

	long webhookNanos;

	long handshakeNanos;

	volatile boolean closed;

	/** The close code the server sent, 0 while open (or closed by us). */
	volatile int closeCode;

	/** Calls dialled by this process, for SIDs no two calls share. */
	private static final AtomicLong DIALS = new AtomicLong();

	SimulatedCall(int index, FrameLog log) {
		this.index = index;
		this.log = log;
		// a call of its own every time, as Twilio's are: the bridge answers a webhook it has seen
		// as before (the same stream token), and takes a stream token once
		long dial = DIALS.incrementAndGet();
		this.callSid = String.format("CA%032x", dial);
		this.streamSid = String.format("MZ%032x", dial);
	}

	/** Posts the webhook, opens the stream and sends {@code connected} and {@code start}. */
	CompletableFuture<SimulatedCall> dial(HttpClient http, String webhookUrl, String authToken) {
		Map<String, String> form = new TreeMap<>();
		form.put("AccountSid", "AC00000000000000000000000000000000");
		form.put("CallSid", this.callSid);
		form.put("CallStatus", "in-progress");
		form.put("Direction", "inbound");
		form.put("From", "+15550100" + String.format("%03d", this.index % 1000));
		form.put("To", "+15550199000");
		StringBuilder body = new StringBuilder();
		form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(k).append('=')
			.append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
		long began = System.nanoTime();
		HttpRequest request = HttpRequest.newBuilder(URI.create(webhookUrl))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("X-Twilio-Signature", TwilioSignature.sign(authToken, webhookUrl, form))
			.POST(HttpRequest.BodyPublishers.ofString(body.toString()))
			.build();
		return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenCompose((response) -> {
			this.webhookNanos = System.nanoTime() - began;
			Matcher stream = STREAM_URL.matcher(response.body());
			if (response.statusCode() != 200 || !stream.find()) {
				throw new IllegalStateException("webhook answered " + response.statusCode() + ": " + response.body());
			}
			// Twilio signs the handshake with the URL as the TwiML gave it
			String twimlUrl = stream.group(1).replace("&amp;", "&");
			this.customParameters = customParameters(response.body());
			long handshake = System.nanoTime();
			return http.newWebSocketBuilder()
				.connectTimeout(Duration.ofSeconds(30))
				.header("X-Twilio-Signature", TwilioSignature.sign(authToken, twimlUrl, Map.of()))
				.buildAsync(URI.create(loopbackWs(twimlUrl)), this)
				.thenApply((ws) -> {
					this.handshakeNanos = System.nanoTime() - handshake;
					return ws;
				});
		}).thenCompose((ws) -> {
			this.socket = ws;
			this.tail = CompletableFuture.completedFuture(ws);
			send("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}");
			this.startNanos = System.nanoTime();
			return send("{\"event\":\"start\",\"sequenceNumber\":\"1\",\"start\":{\"accountSid\":"
					+ "\"AC00000000000000000000000000000000\",\"streamSid\":\"" + this.streamSid + "\",\"callSid\":\""
					+ this.callSid + "\",\"tracks\":[\"inbound\"],\"customParameters\":" + this.customParameters
					+ ",\"mediaFormat\":"
					+ "{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}},\"streamSid\":\""
					+ this.streamSid + "\"}");
		}).thenApply((ws) -> this);
	}

	/**
	 * The TwiML's {@code <Parameter>}s as the JSON object Twilio puts in {@code start} (the
	 * bridge's stream token among them). Values are the SDK's XML-escaped ones, which need no
	 * JSON escaping beyond what this does.
	 */
	static String customParameters(String twiml) {
		StringBuilder json = new StringBuilder("{");
		Matcher parameter = PARAMETER.matcher(twiml);
		while (parameter.find()) {
			Matcher name = NAME.matcher(parameter.group(1));
			Matcher value = VALUE.matcher(parameter.group(1));
			if (name.find() && value.find()) {
				json.append((json.length() > 1) ? "," : "").append('"').append(unescape(name.group(1))).append("\":\"")
					.append(unescape(value.group(1))).append('"');
			}
		}
		return json.append('}').toString();
	}

	private static String unescape(String xml) {
		return xml.replace("&quot;", "\\\"").replace("&lt;", "<").replace("&gt;", ">").replace("&apos;", "'")
			.replace("&amp;", "&");
	}

	/** Frames are due every 20 ms from the first, as Twilio sends them. */
	static final long FRAME_NANOS = 20_000_000L;

	/** When the first frame is due: set as the pacing starts. */
	private volatile long firstDue;

	/**
	 * Starts the schedule: the first frame is due {@code delayMicros} from now, each next one
	 * 20 ms later, whenever the pacer actually runs (coordinated omission corrected).
	 */
	void paceFrom(long delayMicros) {
		this.firstDue = System.nanoTime() + delayMicros * 1_000L;
	}

	/** Sends the next 20 ms caller frame; called by the pacing thread. */
	void frame() {
		if (this.closed || this.seq >= this.log.capacity()) {
			return;
		}
		int n = this.seq++;
		this.chunk++;
		String message = media(this.streamSid, this.index, n, this.chunk);
		// timed from when the frame was due, not from when the pacer got to it: a pacer that
		// falls behind (the machine stalled) then shows in the latency instead of hiding it
		this.log.sent(this.index, n, this.firstDue + n * FRAME_NANOS);
		send(message);
	}

	/**
	 * Twilio's {@code media} message for frame {@code n} of call {@code index} (about 330 bytes for
	 * 20 ms of audio); its sequence number counts {@code connected} and {@code start} before it.
	 */
	static String media(String streamSid, int index, int n, int chunk) {
		return "{\"event\":\"media\",\"sequenceNumber\":\"" + (n + 2) + "\",\"media\":{\"track\":\"inbound\","
				+ "\"chunk\":\"" + chunk + "\",\"timestamp\":\"" + (n * 20L) + "\",\"payload\":\""
				+ FrameLog.payload(index, n) + "\"},\"streamSid\":\"" + streamSid + "\"}";
	}

	/** Sends {@code stop} and closes normally. */
	CompletableFuture<WebSocket> hangUp() {
		this.closed = true;
		send("{\"event\":\"stop\",\"sequenceNumber\":\"" + (this.seq + 2) + "\",\"streamSid\":\"" + this.streamSid
				+ "\",\"stop\":{\"accountSid\":\"AC00000000000000000000000000000000\",\"callSid\":\"" + this.callSid
				+ "\"}}");
		synchronized (this.sending) {
			this.tail = this.tail.thenCompose((ws) -> ws.sendClose(WebSocket.NORMAL_CLOSURE, ""))
				.exceptionally((ex) -> this.socket);
			return this.tail;
		}
	}

	/** Time from {@code start} to the first agent audio, or -1 if none came. */
	long firstAudioNanos() {
		return (this.firstAudioNanos == 0) ? -1 : this.firstAudioNanos - this.startNanos;
	}

	private CompletableFuture<WebSocket> send(String text) {
		synchronized (this.sending) {
			// the JDK's WebSocket allows one outstanding send: queue behind the previous one
			this.tail = this.tail.thenCompose((ws) -> ws.sendText(text, true));
			return this.tail;
		}
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		long now = System.nanoTime();
		webSocket.request(1);
		String text;
		if (!last || !this.partial.isEmpty()) {
			this.partial.append(data);
			if (!last) {
				return null;
			}
			text = this.partial.toString();
			this.partial.setLength(0);
		}
		else {
			text = data.toString();
		}
		if (text.startsWith("{\"event\":\"media\"") || text.contains("\"event\":\"media\"")) {
			String payload = FrameLog.stringValue(text, "\"payload\":\"");
			if (payload != null) {
				if (this.firstAudioNanos == 0) {
					this.firstAudioNanos = now;
				}
				this.log.back(payload, now);
			}
		}
		else if (text.contains("\"event\":\"mark\"") && !this.closed) {
			String name = FrameLog.stringValue(text, "\"name\":\"");
			send("{\"event\":\"mark\",\"sequenceNumber\":\"0\",\"streamSid\":\"" + this.streamSid
					+ "\",\"mark\":{\"name\":\"" + name + "\"}}");
		}
		return null;
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.closeCode = statusCode;
		this.closed = true;
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.closed = true;
	}

	/** A {@code wss://} URL on a loopback host becomes {@code ws://}: there is no TLS edge here. */
	private static String loopbackWs(String url) {
		URI uri = URI.create(url);
		String host = uri.getHost();
		boolean loopback = "localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host);
		return (loopback && url.startsWith("wss://")) ? "ws://" + url.substring(6) : url;
	}

}

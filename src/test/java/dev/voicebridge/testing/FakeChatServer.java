package dev.voicebridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An in-process fake of OpenAI's Chat Completions endpoint: answers what a test queues, in
 * the real response shape, and hands back each request's JSON body for the test to check.
 */
public final class FakeChatServer implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.shared();

	private final MockWebServer server = new MockWebServer();

	private final BlockingQueue<MockResponse> answers = new LinkedBlockingQueue<>();

	private final BlockingQueue<RecordedRequest> requests = new LinkedBlockingQueue<>();

	public FakeChatServer() {
		this.server.setDispatcher(new Dispatcher() {

			@Override
			public MockResponse dispatch(RecordedRequest request) {
				FakeChatServer.this.requests.add(request);
				MockResponse answer = FakeChatServer.this.answers.poll();
				return (answer != null) ? answer
						: new MockResponse.Builder().code(500).body("{\"error\":{\"message\":\"no answer queued\"}}").build();
			}

		});
		try {
			this.server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The base URL, as {@code OPENAI_API_BASE_URL} takes it. */
	public String baseUrl() {
		return this.server.url("/v1").toString();
	}

	/** Queues a successful reply with this assistant text. */
	public void reply(String content) {
		var body = json.createObjectNode();
		var message = body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop").putObject("message");
		message.put("role", "assistant").put("content", content);
		body.put("object", "chat.completion").put("model", "gpt-4.1-mini");
		enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
			.body(body.toString())
			.build());
	}

	/** Queues a successful reply that reports its token usage, as OpenAI's Chat Completions does. */
	public void reply(String content, long promptTokens, long cachedTokens, long completionTokens) {
		var body = json.createObjectNode();
		var message = body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop").putObject("message");
		message.put("role", "assistant").put("content", content);
		var usage = body.putObject("usage");
		usage.put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
			.put("total_tokens", promptTokens + completionTokens);
		usage.putObject("prompt_tokens_details").put("cached_tokens", cachedTokens);
		enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
			.body(body.toString())
			.build());
	}

	/** Queues an HTTP error. */
	public void fail(int code) {
		enqueue(new MockResponse.Builder().code(code).body("{\"error\":{\"message\":\"fake failure\"}}").build());
	}

	/** Queues an HTTP error with this body, e.g. Azure OpenAI's error shape. */
	public void fail(int code, String body) {
		enqueue(new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build());
	}

	/** Queues a 200 whose body is not the expected JSON. */
	public void malformed(String body) {
		enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build());
	}

	/** Queues a reply that comes only after {@code seconds}. */
	public void slow(int seconds, String content) {
		enqueue(new MockResponse.Builder().code(200)
			.headersDelay(seconds, TimeUnit.SECONDS)
			.body("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"" + content + "\"}}]}")
			.build());
	}

	/** The next request the fake received, waiting up to 10 s. */
	public Recorded take() {
		try {
			RecordedRequest request = this.requests.poll(10, TimeUnit.SECONDS);
			if (request == null) {
				throw new AssertionError("no Chat Completions request arrived within 10 s");
			}
			return new Recorded(request.getUrl().encodedPath(), request.getHeaders().get("Authorization"),
					request.getHeaders().get("api-key"), json.readTree(request.getBody().utf8()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	public int requestCount() {
		return this.server.getRequestCount();
	}

	/** Forgets queued answers and unread requests, so one test's leftovers cannot reach the next. */
	public void reset() {
		this.answers.clear();
		this.requests.clear();
	}

	private void enqueue(MockResponse response) {
		this.answers.add(response);
	}

	@Override
	public void close() {
		this.server.close();
	}

	/** One request: its path, its {@code Authorization} header and its JSON body. */
	public record Recorded(String path, String authorization, String apiKey, JsonNode body) {
	}

}

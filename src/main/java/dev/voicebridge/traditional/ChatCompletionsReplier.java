package dev.voicebridge.traditional;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;

import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.voicebridge.agent.TokenUsage;
import dev.voicebridge.config.Upstream;

/**
 * Replies through OpenAI's Chat Completions endpoint (or any compatible provider's) over the
 * shared OkHttp client, bounded by a whole-call timeout so a slow upstream cannot hold Twilio's
 * webhook past its own limit.
 */
class ChatCompletionsReplier implements Replier {

	private static final MediaType JSON = MediaType.get("application/json");

	/** A reply is a few sentences; anything near this size is not an answer for a phone call. */
	static final long MAX_RESPONSE_BYTES = 1024 * 1024;

	private final OkHttpClient http;

	private final JsonMapper json;

	ChatCompletionsReplier(OkHttpClient shared, JsonMapper json, Duration timeout) {
		// newBuilder shares the dispatcher and connection pool; only the timeout differs, since
		// the shared client has no read timeout (right for WebSockets, wrong for a request)
		this.http = shared.newBuilder().callTimeout(timeout).build();
		this.json = json;
	}

	@Override
	public Reply reply(Upstream upstream, List<Message> messages) {
		String body = this.json.writeValueAsString(new ChatRequest(upstream.textModel(), messages));
		Request request = new Request.Builder().url(upstream.chatCompletionsUrl())
			.header(upstream.authHeader(), upstream.authValue())
			.post(RequestBody.create(body, JSON))
			.build();
		try (Response response = this.http.newCall(request).execute()) {
			if (!response.isSuccessful()) {
				throw new ReplyFailedException("HTTP " + response.code() + " from " + upstream.describe()
						+ upstream.hint(response.code(), response.peekBody(4096).string()), null);
			}
			String text = response.peekBody(MAX_RESPONSE_BYTES).string();
			JsonNode answer = this.json.readTree(text);
			JsonNode content = answer.path("choices").path(0).path("message").path("content");
			if (!content.isString() || content.asString().isBlank()) {
				throw new ReplyFailedException("no choices[0].message.content in the answer", null);
			}
			return new Reply(content.asString().strip(), usage(answer.path("usage")));
		}
		catch (InterruptedIOException ex) {
			throw new ReplyFailedException("timed out", ex);
		}
		catch (IOException ex) {
			throw new ReplyFailedException("I/O error: " + ex.getMessage(), ex);
		}
		catch (JacksonException ex) {
			throw new ReplyFailedException("malformed JSON", ex);
		}
	}

	/** Chat Completions' {@code usage}: prompt tokens (with the cached share) and completion tokens, all text. */
	static TokenUsage usage(JsonNode usage) {
		long cached = Math.max(0, usage.path("prompt_tokens_details").path("cached_tokens").asLong(0));
		return TokenUsage.of(Math.max(0, usage.path("prompt_tokens").asLong(0)), 0, cached, 0,
				Math.max(0, usage.path("completion_tokens").asLong(0)), 0);
	}

	@Override
	public String name() {
		return "openai";
	}

	record ChatRequest(String model, List<Message> messages) {
	}

}

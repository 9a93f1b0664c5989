package dev.voicebridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;

/**
 * Twilio's REST API refusing every request, on a random port for {@code TWILIO_API_BASE_URL}: with
 * any HTTP status and Twilio's error body as {@code api.twilio.com} sends it ({@code code},
 * {@code message}, {@code more_info}, {@code status}), or by closing the connection without an
 * answer, as a Twilio out of reach does. {@link FakeTwilioRest} places calls and refuses with 400.
 */
public final class RefusingTwilioRest implements AutoCloseable {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final MockWebServer server = new MockWebServer();

	private volatile MockResponse answer = unreachable();

	public RefusingTwilioRest() {
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return RefusingTwilioRest.this.answer;
			}
		});
		try {
			this.server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public String url() {
		return "http://localhost:" + this.server.getPort();
	}

	/** Answers every request with this status and Twilio's error body for {@code code}. */
	public void refuse(int status, int code, String message) {
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("code", code);
		error.put("message", message);
		error.put("more_info", "https://www.twilio.com/docs/errors/" + code);
		error.put("status", status);
		MockResponse.Builder response = new MockResponse.Builder().code(status)
			.setHeader("Content-Type", "application/json");
		if (status == 401) {
			response.setHeader("WWW-Authenticate", "Basic realm=\"Twilio API\"");
		}
		try {
			this.answer = response.body(JSON.writeValueAsString(error)).build();
		}
		catch (JacksonException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Reads every request and closes the connection without answering it. */
	public void beUnreachable() {
		this.answer = unreachable();
	}

	private static MockResponse unreachable() {
		return new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build();
	}

	@Override
	public void close() {
		this.server.close();
	}

}

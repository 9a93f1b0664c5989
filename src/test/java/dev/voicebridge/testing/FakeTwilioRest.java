package dev.voicebridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * An imitation of Twilio's REST API on a random port for {@code TWILIO_API_BASE_URL}: creates
 * and updates Call resources the way {@code api.twilio.com/2010-04-01} answers, or refuses with
 * Twilio's error body when told to.
 */
public final class FakeTwilioRest implements AutoCloseable {

	private final MockWebServer server = new MockWebServer();

	private volatile String refusal;

	public FakeTwilioRest() {
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				String refused = FakeTwilioRest.this.refusal;
				if (refused != null) {
					return new MockResponse.Builder().code(400)
						.setHeader("Content-Type", "application/json")
						.body(refused)
						.build();
				}
				String path = request.getUrl().encodedPath();
				String sid = path.endsWith("/Calls.json") ? "CA" + "f".repeat(32)
						: path.substring(path.lastIndexOf('/') + 1).replace(".json", "");
				return new MockResponse.Builder().code(path.endsWith("/Calls.json") ? 201 : 200)
					.setHeader("Content-Type", "application/json")
					.body("{\"sid\":\"" + sid + "\",\"status\":\"queued\",\"account_sid\":\"ACfake\",\"to\":\"+15005550006\","
							+ "\"from\":\"+15005550001\",\"direction\":\"outbound-api\",\"api_version\":\"2010-04-01\"}")
					.build();
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

	/** Refuse every request with this Twilio error (code and message), or accept again with null. */
	public void refuse(Integer code, String message) {
		this.refusal = (code == null) ? null
				: "{\"code\":" + code + ",\"message\":\"" + message + "\",\"more_info\":\"https://www.twilio.com/docs/errors/"
						+ code + "\",\"status\":400}";
	}

	/** The next request the SDK made; fails after the timeout. */
	public RecordedRequest next(Duration timeout) throws InterruptedException {
		RecordedRequest request = this.server.takeRequest(timeout.toMillis(), TimeUnit.MILLISECONDS);
		if (request == null) {
			throw new AssertionError("no Twilio REST request within " + timeout);
		}
		return request;
	}

	/** Forgets requests no test took. */
	public void drain() throws InterruptedException {
		while (this.server.takeRequest(1, TimeUnit.MILLISECONDS) != null) {
			// discard
		}
	}

	/** A request if one arrives within the timeout, else null. */
	public RecordedRequest poll(Duration timeout) throws InterruptedException {
		return this.server.takeRequest(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public void close() {
		this.server.close();
	}

}

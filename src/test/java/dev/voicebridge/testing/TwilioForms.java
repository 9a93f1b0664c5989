package dev.voicebridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Posts forms the way Twilio posts its webhooks, and returns the status and body.
 */
public final class TwilioForms {

	private static final OkHttpClient http = new OkHttpClient();

	private TwilioForms() {
	}

	/** POSTs {@code parameters} as a form to {@code url}. */
	public static Answer post(String url, Map<String, String> parameters) {
		FormBody.Builder form = new FormBody.Builder();
		parameters.forEach(form::add);
		Request request = new Request.Builder().url(url).post(form.build()).build();
		try (Response response = http.newCall(request).execute()) {
			return new Answer(response.code(), response.header("Content-Type"), response.body().string());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** What Twilio's {@code <Connect>} action gets for a call whose stream ended: the TwiML that comes next. */
	public static String connectAction(int port, String callSid) {
		return post("http://localhost:" + port + "/twilio/stream-action", Map.of("CallSid", callSid)).body();
	}

	/** A webhook's answer. */
	public record Answer(int status, String contentType, String body) {
	}

}

package dev.voicebridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import dev.voicebridge.twilio.TwilioSignature;

/**
 * Twilio as a service with {@code TWILIO_AUTH_TOKEN} sees it behind a TLS edge: signed webhooks
 * and signed stream handshakes, and the stream's {@code start} with the TwiML's parameters.
 */
public final class SignedTwilio {

	public static final String EDGE = "https://voice.example.com";

	private static final Pattern PARAMETER = Pattern.compile("<Parameter name=\"([^\"]*)\" value=\"([^\"]*)\"/>");

	private final OkHttpClient http = new OkHttpClient();

	private final int port;

	private final String authToken;

	public SignedTwilio(int port, String authToken) {
		this.port = port;
		this.authToken = authToken;
	}

	/** What a TLS-terminating edge in front adds. */
	public static Map<String, String> edgeHeaders() {
		return Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "voice.example.com");
	}

	/** Posts a signed voice webhook for a call and answers the TwiML's {@code <Parameter>}s. */
	public Map<String, String> answer(String callSid, String accountSid) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("CallSid", callSid);
		form.put("AccountSid", accountSid);
		form.put("From", "+15551230000");
		form.put("To", "+15557650000");
		form.put("Direction", "inbound");
		String twiml = post("/twilio/voice", form);
		Map<String, String> parameters = new LinkedHashMap<>();
		Matcher parameter = PARAMETER.matcher(twiml);
		while (parameter.find()) {
			parameters.put(parameter.group(1), parameter.group(2));
		}
		return parameters;
	}

	/** POSTs a signed form and answers the body; fails on anything but a 2xx. */
	public String post(String path, Map<String, String> form) {
		FormBody.Builder body = new FormBody.Builder();
		form.forEach(body::add);
		Request.Builder request = new Request.Builder().url("http://localhost:" + this.port + path).post(body.build());
		edgeHeaders().forEach(request::header);
		request.header("X-Twilio-Signature", TwilioSignature.sign(this.authToken, EDGE + path, form));
		try (Response response = this.http.newCall(request.build()).execute()) {
			String text = response.body().string();
			if (response.code() / 100 != 2) {
				throw new AssertionError(path + " answered " + response.code() + ": " + text);
			}
			return text;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Opens a stream with the handshake signature Twilio sends: the same for every call. */
	public FakeTwilioCall stream(String streamSid, String callSid) throws InterruptedException {
		Map<String, String> headers = new LinkedHashMap<>(edgeHeaders());
		headers.put("X-Twilio-Signature", TwilioSignature.sign(this.authToken, "wss://voice.example.com/twilio-media",
				Map.of()));
		return FakeTwilioCall.connect("ws://localhost:" + this.port + "/twilio-media", streamSid, callSid, headers);
	}

}

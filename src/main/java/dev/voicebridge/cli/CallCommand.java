package dev.voicebridge.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import org.springframework.boot.convert.DurationStyle;

import dev.voicebridge.cli.PhoneAudio.UnreadableAudioException;
import dev.voicebridge.twilio.TwilioSignature;

/**
 * {@code java -jar voice-bridge.jar call http://localhost:8080 --play in.wav --record out.wav}:
 * places one call the way Twilio does (the webhook, the TwiML's stream, {@code start} with its
 * parameters, real-time frames, marks answered once played) and says what happened. Starts no
 * server. Exit code 0 when the call worked, 1 when it did not, 2 on bad usage or input.
 */
public final class CallCommand {

	private static final String USAGE = """
			usage: java -jar voice-bridge.jar call http://host:port [options]
			  --play FILE.wav         what the caller says (any PCM, float, mu-law or A-law WAV; converted to 8 kHz mu-law)
			  --record FILE.wav       writes the agent's audio as the phone played it (8 kHz, 16-bit)
			  --keys DIGITS           keys pressed after the speech, e.g. 1# (0-9, * and #)
			  --barge-in-after TIME   the caller starts speaking once the agent has talked this long, e.g. 2s
			  --wait TIME             hang up once the caller is done and the agent has been quiet this long (3s)
			  --max-duration TIME     hang up after this long in any case (2m)
			  --business ID           the webhook's businessId, which selects a profile
			  --from NUMBER, --to NUMBER   the call's numbers (E.164; --to also selects a profile)
			Places one call as Twilio does: POST /twilio/voice (signed when TWILIO_AUTH_TOKEN is set), the
			<Stream> of its TwiML, then the caller's audio in real time. With the echo agent the recording is
			the caller's audio played back; with OPENAI_API_KEY set on the service it is the agent's answer.""";

	private static final SecureRandom RANDOM = new SecureRandom();

	private final PrintStream out;

	private final Map<String, String> environment;

	private final OkHttpClient http;

	private CallCommand(PrintStream out, Map<String, String> environment) {
		this.out = out;
		this.environment = environment;
		// no read timeout: a stream is quiet for as long as the agent is
		this.http = new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(10))
			.readTimeout(Duration.ZERO)
			.followRedirects(false)
			.build();
	}

	/** Places the call and returns the process exit code. */
	public static int run(String[] args, PrintStream out, Map<String, String> environment) {
		Options options;
		byte[] speech;
		try {
			options = Options.parse(args);
			speech = (options.play() != null) ? PhoneAudio.read(options.play()) : new byte[0];
		}
		catch (IllegalArgumentException | UnreadableAudioException ex) {
			out.println("call: " + ex.getMessage());
			out.println(USAGE);
			return 2;
		}
		CallCommand command = new CallCommand(out, environment);
		try {
			return command.place(options, speech);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			out.println("call: interrupted");
			return 1;
		}
		finally {
			command.http.dispatcher().executorService().shutdown();
			command.http.connectionPool().evictAll();
		}
	}

	private int place(Options options, byte[] speech) throws InterruptedException {
		this.out.println("voice-bridge call: " + options.base() + ((options.play() != null)
				? " playing " + options.play() + String.format(" (%.1f s)", speech.length / PhoneAudio.RATE) : ""));
		String callSid = "CA" + hex(16);
		String accountSid = this.environment.getOrDefault("TWILIO_ACCOUNT_SID", "AC" + hex(16));
		TwimlAnswer answer = webhook(options, callSid, accountSid);
		if (answer == null) {
			return 1;
		}
		if (answer.streamUrl() == null) {
			return failed("the webhook answered with " + answer.instead());
		}
		CallReport report = new CallReport();
		PhoneLine.Script script = new PhoneLine.Script(speech, frames(options.bargeInAfter()), options.keys(),
				frames(options.waitFor()), frames(options.maxDuration()));
		PhoneLine line = new PhoneLine(script, "MZ" + hex(16), callSid, accountSid, answer.parameters(), report);
		Request.Builder handshake = new Request.Builder().url(answer.streamUrl()).header("User-Agent", "voice-bridge-call");
		String token = this.environment.get("TWILIO_AUTH_TOKEN");
		if (token != null && !token.isBlank()) {
			// Twilio signs a stream's handshake over its URL alone
			handshake.header("X-Twilio-Signature", TwilioSignature.sign(token.strip(), answer.streamUrl(), Map.of()));
		}
		long upgradeFrom = System.nanoTime();
		this.http.newWebSocket(handshake.build(), line);
		if (!line.awaitAnswer(15_000)) {
			return failed("no answer to the stream's upgrade at " + answer.streamUrl() + " within 15 s");
		}
		if (!line.ended()) {
			this.out.printf("stream    %s upgraded in %d ms; connected and start sent%n", answer.streamUrl(),
					(report.openedAt() - upgradeFrom) / 1_000_000);
			long due = System.nanoTime();
			while (line.tick()) {
				due += PhoneLine.FRAME_NANOS;
				LockSupport.parkNanos(due - System.nanoTime());
			}
			line.awaitEnd(5_000);
		}
		String failure = report.print(this.out, options.keys(), options.bargeInAfter() != null);
		if (options.record() != null) {
			byte[] recording = line.recording();
			try {
				PhoneAudio.write(options.record(), recording);
				this.out.printf("recorded  %s: %.1f s%n", options.record(), recording.length / PhoneAudio.RATE);
			}
			catch (IOException ex) {
				failure = (failure != null) ? failure : "could not write " + options.record() + ": " + ex.getMessage();
			}
		}
		return (failure != null) ? failed(failure) : worked();
	}

	/** Posts the webhook as Twilio does and answers its TwiML, or null when it refused. */
	private TwimlAnswer webhook(Options options, String callSid, String accountSid) {
		String url = options.base() + "/twilio/voice"
				+ ((options.business() != null) ? "?businessId=" + options.business() : "");
		Map<String, String> form = new LinkedHashMap<>();
		form.put("AccountSid", accountSid);
		form.put("ApiVersion", "2010-04-01");
		form.put("CallSid", callSid);
		form.put("CallStatus", "ringing");
		form.put("Called", options.to());
		form.put("Caller", options.from());
		form.put("Direction", "inbound");
		form.put("From", options.from());
		form.put("To", options.to());
		FormBody.Builder body = new FormBody.Builder();
		form.forEach(body::add);
		Request.Builder request = new Request.Builder().url(url).header("User-Agent", "voice-bridge-call").post(body.build());
		String token = this.environment.get("TWILIO_AUTH_TOKEN");
		boolean signed = token != null && !token.isBlank();
		if (signed) {
			request.header("X-Twilio-Signature", TwilioSignature.sign(token.strip(), url, form));
		}
		long from = System.nanoTime();
		try (Response response = this.http.newCall(request.build()).execute()) {
			String twiml = response.body().string();
			long millis = (System.nanoTime() - from) / 1_000_000;
			if (response.code() == 403) {
				failed("the webhook refused the call (403): " + (signed
						? "the signature did not match: this TWILIO_AUTH_TOKEN differs from the service's, or the service "
								+ "checks another URL than " + url + " (its PUBLIC_URL)"
						: "the service checks signatures: set TWILIO_AUTH_TOKEN to the service's"));
				return null;
			}
			if (response.code() != 200) {
				failed("POST " + url + " answered HTTP " + response.code());
				return null;
			}
			TwimlAnswer answer = TwimlAnswer.parse(twiml);
			String profile = answer.parameters().get("profile");
			this.out.printf("webhook   200 in %d ms%s%s%n", millis, signed ? ", signed" : "",
					(profile != null) ? ", profile " + profile : "");
			return answer;
		}
		catch (IOException ex) {
			failed("no answer from " + url + ": " + ex.getMessage());
			return null;
		}
	}

	private int worked() {
		this.out.println("The call worked.");
		return 0;
	}

	private int failed(String why) {
		this.out.println("The call failed: " + why + ".");
		return 1;
	}

	private static int frames(Duration duration) {
		return (duration != null) ? (int) Math.max(1, duration.toMillis() / 20) : 0;
	}

	private static String hex(int bytes) {
		byte[] random = new byte[bytes];
		RANDOM.nextBytes(random);
		return HexFormat.of().formatHex(random);
	}

	/** The command line, checked. */
	record Options(String base, Path play, Path record, String keys, Duration bargeInAfter, Duration waitFor,
			Duration maxDuration, String business, String from, String to) {

		static Options parse(String[] args) {
			if (args.length == 0 || !args[0].matches("(?i)https?://[^\\s?#]+")) {
				throw new IllegalArgumentException("give the service's base URL first, e.g. http://localhost:8080");
			}
			String base = args[0].replaceAll("/+$", "");
			Path play = null;
			Path record = null;
			String keys = "";
			Duration bargeIn = null;
			Duration wait = Duration.ofSeconds(3);
			Duration max = Duration.ofMinutes(2);
			String business = null;
			String from = "+15005550006";
			String to = "+15005550006";
			for (int i = 1; i < args.length; i++) {
				String option = args[i];
				if (i + 1 >= args.length) {
					throw new IllegalArgumentException("unknown option or missing value: " + option);
				}
				String value = args[++i];
				switch (option) {
					case "--play" -> play = Path.of(value);
					case "--record" -> record = Path.of(value);
					case "--keys" -> keys = matching(option, value, "[0-9*#]+", "keys 0-9, * and #");
					case "--barge-in-after" -> bargeIn = duration(option, value);
					case "--wait" -> wait = duration(option, value);
					case "--max-duration" -> max = duration(option, value);
					case "--business" -> business = matching(option, value, "[A-Za-z0-9][A-Za-z0-9_-]{0,63}", "a profile id");
					case "--from" -> from = matching(option, value, "\\+[1-9][0-9]{1,14}", "an E.164 number");
					case "--to" -> to = matching(option, value, "\\+[1-9][0-9]{1,14}", "an E.164 number");
					default -> throw new IllegalArgumentException("unknown option " + option);
				}
			}
			if (bargeIn != null && play == null) {
				throw new IllegalArgumentException("--barge-in-after needs --play: what the caller says over the agent");
			}
			return new Options(base, play, record, keys, bargeIn, wait, max, business, from, to);
		}

		private static String matching(String option, String value, String pattern, String what) {
			if (!value.matches(pattern)) {
				throw new IllegalArgumentException(option + " takes " + what + ", not " + value);
			}
			return value;
		}

		private static Duration duration(String option, String value) {
			try {
				Duration duration = DurationStyle.detectAndParse(value);
				if (duration.isNegative() || duration.isZero()) {
					throw new IllegalArgumentException(option + " takes a positive time, not " + value);
				}
				return duration;
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(option + " takes a time such as 2s or 500ms, not " + value);
			}
		}

	}

}

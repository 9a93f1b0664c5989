package dev.voicebridge.diagnostics;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;

import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.voicebridge.twilio.TwilioSignature;

/**
 * {@code java -jar voice-bridge.jar doctor https://public-url}: checks a deployment from the
 * outside, in the order a call needs it, and says for each link whether it holds and how to fix
 * it. Starts no server. Exit code 0 when every check passes, 1 when one fails, 2 on bad usage.
 */
public final class Doctor {

	/** The User-Agent prefix of the doctor's requests, which {@link DoctorProbeFilter} marks. */
	public static final String AGENT = "voice-bridge-doctor/";

	private static final Pattern STREAM_URL = Pattern.compile("<Stream[^>]*\\burl=\"([^\"]*)\"");

	private static final Pattern PROFILE = Pattern.compile("<Parameter name=\"profile\" value=\"([^\"]*)\"");

	private static final Pattern BUSINESS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final OkHttpClient http;

	private final PrintStream out;

	private final Map<String, String> environment;

	private final String nonce = UUID.randomUUID().toString().substring(0, 8);

	private boolean failed;

	/** The {@code businessId} to check, or null. */
	private String business;

	/** {@code --local}: a plain {@code http://} target is checked for local use only, not for Twilio. */
	private boolean localOnly;

	Doctor(PrintStream out, Map<String, String> environment, Duration timeout) {
		this.out = out;
		this.environment = environment;
		this.http = new OkHttpClient.Builder().connectTimeout(timeout)
			.readTimeout(timeout)
			.callTimeout(timeout.multipliedBy(2))
			.followRedirects(false)
			.build();
	}

	/** Runs the checks against a base URL and returns the process exit code. */
	public static int run(String[] args, PrintStream out, Map<String, String> environment) {
		String business = null;
		boolean localOnly = false;
		boolean usage = args.length == 0 || !args[0].matches("(?i)https?://.+");
		for (int i = 1; i < args.length && !usage; i++) {
			if ("--business".equals(args[i]) && i + 1 < args.length && BUSINESS.matcher(args[i + 1]).matches()) {
				business = args[++i];
			}
			else if ("--local".equals(args[i])) {
				localOnly = true;
			}
			else {
				usage = true;
			}
		}
		if (usage) {
			out.println("usage: java -jar voice-bridge.jar doctor https://your-public-host [--business ID] [--local]");
			out.println("       checks TLS, health, the webhook's TwiML, a real WebSocket upgrade and what the app saw;");
			out.println("       with --business, that the webhook's businessId=ID selects the profile ID;");
			out.println("       with --local, an http:// target passes for local use (Twilio itself needs https/wss).");
			out.println("       Set TWILIO_AUTH_TOKEN to sign the webhook request like Twilio does.");
			return 2;
		}
		Doctor doctor = new Doctor(out, environment, Duration.ofSeconds(10));
		doctor.business = business;
		doctor.localOnly = localOnly;
		try {
			return doctor.check(args[0].replaceAll("/+$", ""));
		}
		finally {
			doctor.http.dispatcher().executorService().shutdown();
			doctor.http.connectionPool().evictAll();
		}
	}

	int check(String base) {
		this.out.println("voice-bridge doctor: " + base);
		if (!reachable(base) || !healthy(base)) {
			return 1;
		}
		String streamUrl = webhook(base);
		String testUrl = (streamUrl != null) ? streamUrl.replaceFirst("/twilio-media$", "/test-websocket")
				: base.replaceFirst("^http", "ws") + "/test-websocket";
		UpgradeResult upgrade = upgrade(testUrl);
		appSawIt(base, upgrade);
		boolean plain = base.regionMatches(true, 0, "http://", 0, 7);
		this.out.println(this.failed ? "Some checks failed: fix the first one above, then run the doctor again."
				: plain ? "All local checks passed through " + base + ". Twilio only connects to https:// and wss://, "
						+ "so a Twilio call cannot reach it as it is."
						: "All checks passed: a Twilio call can reach the agent through " + base + ".");
		return this.failed ? 1 : 0;
	}

	private boolean reachable(String base) {
		try (Response response = this.http.newCall(new Request.Builder().url(base + "/").build()).execute()) {
			String tls = (response.handshake() != null) ? " over " + response.handshake().tlsVersion().javaName() : "";
			pass("reachable", base + " answered HTTP " + response.code() + tls);
			return true;
		}
		catch (UnknownHostException ex) {
			return fail("reachable", "the host name does not resolve: " + ex.getMessage(),
					"check the URL, or the platform's public domain (e.g. generate one on Railway).");
		}
		catch (SSLException ex) {
			return fail("reachable", "TLS failed: " + ex.getMessage(),
					"Twilio needs a valid certificate for this host; fix the edge's TLS set-up.");
		}
		catch (ConnectException | SocketTimeoutException ex) {
			return fail("reachable", "no connection: " + ex.getMessage(),
					"is the service running and its port exposed? (PORT, the platform's port mapping, a firewall)");
		}
		catch (IOException ex) {
			return fail("reachable", ex.toString(), "check the URL and the network.");
		}
	}

	private boolean healthy(String base) {
		try (Response response = this.http.newCall(new Request.Builder().url(base + "/actuator/health").build())
			.execute()) {
			String body = response.body().string();
			if (response.code() == 200 && body.contains("\"UP\"")) {
				return pass("health", "/actuator/health is UP");
			}
			return fail("health", "/actuator/health answered HTTP " + response.code(),
					(response.code() == 404) ? "this URL does not lead to voice-bridge (or a proxy hides /actuator)."
							: "the service is not ready; see its log.");
		}
		catch (IOException ex) {
			return fail("health", ex.toString(), "see the service's log.");
		}
	}

	/** Asks the webhook for TwiML like Twilio does and checks the Stream URL in it; returns it. */
	private String webhook(String base) {
		String url = base + "/twilio/voice" + ((this.business != null) ? "?businessId=" + this.business : "");
		Map<String, String> parameters = new LinkedHashMap<>();
		parameters.put("CallSid", "CAdoctor" + this.nonce);
		parameters.put("AccountSid", this.environment.getOrDefault("TWILIO_ACCOUNT_SID", "ACdoctor"));
		parameters.put("From", "+15005550006");
		parameters.put("To", "+15005550006");
		parameters.put("Direction", "inbound");
		FormBody.Builder form = new FormBody.Builder();
		parameters.forEach(form::add);
		Request.Builder request = new Request.Builder().url(url)
			.header("User-Agent", AGENT + this.nonce)
			.post(form.build());
		String token = this.environment.get("TWILIO_AUTH_TOKEN");
		boolean signed = token != null && !token.isBlank();
		if (signed) {
			request.header("X-Twilio-Signature", TwilioSignature.sign(token, url, parameters));
		}
		try (Response response = this.http.newCall(request.build()).execute()) {
			String body = response.body().string();
			if (response.code() == 403) {
				fail("webhook", "POST /twilio/voice was refused (403): the signature did not match",
						signed ? "this TWILIO_AUTH_TOKEN differs from the service's, or the service checks another URL "
								+ "than " + url + " (set PUBLIC_URL to " + base + ")."
								: "the service checks signatures: run the doctor with TWILIO_AUTH_TOKEN set.");
				return null;
			}
			Matcher matcher = STREAM_URL.matcher(body);
			if (response.code() != 200 || !matcher.find()) {
				fail("webhook", "POST /twilio/voice answered HTTP " + response.code() + " without a <Stream url>",
						"this URL does not serve voice-bridge's webhook.");
				return null;
			}
			String streamUrl = matcher.group(1).replace("&amp;", "&");
			checkStreamUrl(base, streamUrl, signed);
			if (this.business != null) {
				checkProfile(body);
			}
			return streamUrl;
		}
		catch (IOException ex) {
			fail("webhook", ex.toString(), "see the service's log.");
			return null;
		}
	}

	private void checkStreamUrl(String base, String streamUrl, boolean signed) {
		URI stream = URI.create(streamUrl);
		URI public_ = URI.create(base);
		boolean local = "http".equals(public_.getScheme());
		if (stream.getRawQuery() != null) {
			fail("stream-url", streamUrl + " carries a query string", "Twilio rejects or strips it; use <Parameter>s.");
		}
		else if (local && !this.localOnly) {
			fail("stream-url", base + " is plain http://, so the Stream URL " + streamUrl + " is ws://: Twilio only "
					+ "connects to https:// webhooks and wss:// streams, so a Twilio call cannot reach this service as it is",
					"put TLS in front (a tunnel such as ngrok or cloudflared, docs/local-dev.md, or a TLS proxy) and set "
							+ "PUBLIC_URL=https://YOUR-HOST; or run the doctor with --local to check local use only.");
		}
		else if (!"wss".equals(stream.getScheme()) && !local) {
			fail("stream-url", streamUrl + " is not wss://",
					"Twilio only opens wss://: set PUBLIC_URL=" + base + " or make the proxy send X-Forwarded-Proto: https.");
		}
		else if (!stream.getHost().equalsIgnoreCase(public_.getHost())) {
			fail("stream-url", streamUrl + " points at host " + stream.getHost() + ", not " + public_.getHost(),
					"the service derives its public host wrongly: set PUBLIC_URL=" + base
							+ " or make the proxy send X-Forwarded-Host.");
		}
		else {
			pass("webhook", "TwiML hands out " + streamUrl + (signed ? " (signed request accepted)" : ""));
		}
	}

	/** The profile the webhook chose travels as a {@code <Parameter>}: it must be the business asked for. */
	private void checkProfile(String twiml) {
		Matcher profile = PROFILE.matcher(twiml);
		String chosen = profile.find() ? profile.group(1) : null;
		if (this.business.equals(chosen)) {
			pass("profile", "businessId=" + this.business + " selects profile " + chosen);
		}
		else if (chosen == null) {
			fail("profile", "the TwiML names no profile", "this service predates profiles: upgrade it.");
		}
		else {
			fail("profile", "businessId=" + this.business + " is not a profile of this service: calls with it get profile "
					+ chosen + " (the default)", "add " + this.business + " under profiles: in PROFILES_FILE (then "
							+ "POST /admin/profiles/reload), or fix businessId in the number's webhook URL.");
		}
	}

	private UpgradeResult upgrade(String url) {
		CompletableFuture<UpgradeResult> result = new CompletableFuture<>();
		Request request = new Request.Builder().url(url)
			.header("User-Agent", AGENT + this.nonce)
			.build();
		WebSocket socket = this.http.newWebSocket(request, new WebSocketListener() {
			@Override
			public void onMessage(WebSocket webSocket, String text) {
				result.complete(new UpgradeResult(true, 101, null, text));
				webSocket.close(1000, "doctor done");
			}

			@Override
			public void onClosing(WebSocket webSocket, int code, String reason) {
				// upgraded, then closed before the greeting: a limit of the test endpoint
				result.complete(new UpgradeResult(true, 101, "closed with " + code + " " + reason, ""));
				webSocket.close(1000, "doctor done");
			}

			@Override
			public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
				result.complete(new UpgradeResult(false, (response != null) ? response.code() : 0,
						(response != null) ? describe(response) : failure.toString(), null));
			}
		});
		try {
			UpgradeResult outcome = result.get(15, TimeUnit.SECONDS);
			if (outcome.upgraded() && outcome.greeting().contains("WebSocket is working")) {
				pass("upgrade", url + " upgraded to a WebSocket (101) and answered");
			}
			else if (outcome.upgraded()) {
				fail("upgrade", url + " upgraded (101), then the service " + outcome.detail(),
						"1013: more test connections are open than the service takes at once "
								+ "(voicebridge.limits.test-websocket.connections); try again in a minute.");
			}
			else if (outcome.status() != 0) {
				fail("upgrade", "the edge answered HTTP " + outcome.status() + " instead of 101 Switching Protocols ("
						+ outcome.detail() + ")", "see the next line for where it stopped.");
			}
			else {
				fail("upgrade", "no WebSocket: " + outcome.detail(), "see the next line for where it stopped.");
			}
			return outcome;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			fail("upgrade", "interrupted", "run again.");
			return new UpgradeResult(false, 0, "interrupted", null);
		}
		catch (ExecutionException | TimeoutException ex) {
			socket.cancel();
			fail("upgrade", "no answer to the upgrade within 15 s", "an edge that holds the upgrade open is dropping it.");
			return new UpgradeResult(false, 0, "timeout", null);
		}
	}

	/** Asks the app what it saw of our upgrade: tells "edge ate it" from "app refused it". */
	private void appSawIt(String base, UpgradeResult upgrade) {
		JsonNode status;
		Request.Builder request = new Request.Builder().url(base + "/websocket-status");
		String admin = this.environment.get("ADMIN_TOKEN");
		if (admin != null && !admin.isBlank()) {
			// the operator's view: who sent each attempt, and whether signatures are checked
			request.header("Authorization", "Bearer " + admin.strip());
		}
		try (Response response = this.http.newCall(request.build()).execute()) {
			if (response.code() != 200) {
				fail("app-saw-it", "/websocket-status answered HTTP " + response.code(), "it must be reachable too.");
				return;
			}
			status = JSON.readTree(response.body().string());
		}
		catch (IOException | RuntimeException ex) {
			fail("app-saw-it", "could not read /websocket-status: " + ex.getMessage(), "see the service's log.");
			return;
		}
		JsonNode seen = null;
		for (JsonNode attempt : status.path("recentAttempts")) {
			if (attempt.path("userAgent").asString("").contains(this.nonce)) {
				seen = attempt;
				break;
			}
		}
		if (seen == null) {
			if (upgrade.upgraded()) {
				pass("app-saw-it", "upgraded (the app's journal had already moved on)");
			}
			else {
				fail("app-saw-it", "the upgrade reached the edge but not the app",
						"the proxy in front does not route WebSocket requests to the service: forward /twilio-media and "
								+ "/test-websocket to it with Upgrade and Connection (docs/proxy/).");
			}
		}
		else if (seen.path("upgrade").isNull() || seen.path("upgrade").asString("").isEmpty()) {
			fail("app-saw-it", "the request reached the app without its Upgrade header (arrived as "
					+ seen.path("protocol").asString("?") + ")",
					"upgrade headers stripped: the proxy in front must forward Upgrade and Connection over HTTP/1.1 "
							+ "(nginx: proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; "
							+ "proxy_set_header Connection \"upgrade\").");
		}
		else if (!"accepted".equals(seen.path("outcome").asString(""))) {
			String reason = seen.path("reason").asString("");
			fail("app-saw-it", "the app received the upgrade and rejected it: " + reason + " (HTTP "
					+ seen.path("status").asInt() + ")",
					switch (reason) {
						case "unknown_path" -> "the service has /test-websocket switched off (TEST_WEBSOCKET_ENABLED=false): "
								+ "switch it on while you check, then off again.";
						case "capacity", "rate" -> "the service is at its WebSocket limits (MAX_WEBSOCKET_CONNECTIONS, "
								+ "voicebridge.limits.handshakes-per-second, test-websocket.connections): try again shortly.";
						default -> "see /status for the fix.";
					});
		}
		else {
			pass("app-saw-it", "the app saw the upgrade with its headers intact and accepted it");
		}
		JsonNode upstream = status.path("upstream");
		if ("echo".equals(status.path("agent").asString(""))) {
			this.out.println("  note: the echo agent answers calls: the service has no OPENAI_API_KEY");
		}
		else if (upstream.isObject()) {
			this.out.println("  note: calls go to the " + upstream.path("kind").asString("?") + " upstream at "
					+ upstream.path("host").asString("?") + " (" + upstream.path("auth").asString("?") + " auth, model "
					+ upstream.path("model").asString("?") + ")");
		}
		for (JsonNode finding : status.path("diagnosis")) {
			if ("error".equals(finding.path("severity").asString(""))) {
				this.out.println("  note: the service reports " + finding.path("id").asString("") + ": "
						+ finding.path("finding").asString(""));
			}
		}
	}

	private static String describe(Response response) {
		String server = response.header("Server");
		String via = response.header("Via");
		return "server: " + ((server != null) ? server : "unknown") + ((via != null) ? ", via: " + via : "");
	}

	private boolean pass(String check, String detail) {
		this.out.printf("[ok]   %-11s %s%n", check, detail);
		return true;
	}

	private boolean fail(String check, String detail, String fix) {
		this.failed = true;
		this.out.printf("[FAIL] %-11s %s%n       fix: %s%n", check, detail, fix);
		return false;
	}

	private record UpgradeResult(boolean upgraded, int status, String detail, String greeting) {
	}

}

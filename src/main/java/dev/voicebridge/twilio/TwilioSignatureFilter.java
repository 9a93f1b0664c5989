package dev.voicebridge.twilio;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.twilio.security.RequestValidator;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

import dev.voicebridge.config.TwilioProperties;
import dev.voicebridge.media.HandshakeRejection;

/**
 * Lets only Twilio in: every webhook and the stream handshake must carry an
 * {@code X-Twilio-Signature} that the SDK's {@link RequestValidator} accepts for the URL Twilio
 * used. That URL is rebuilt from {@code PUBLIC_URL} or trusted forwarded headers, never from the
 * internal {@code http://} request; the handshake is signed over the {@code wss://} Stream URL.
 * A refusal answers 403, is counted, and logs the URL that was checked (never the token).
 * Inert when {@code TWILIO_AUTH_TOKEN} is unset or {@code TWILIO_VALIDATE_SIGNATURES=false}.
 */
class TwilioSignatureFilter extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(TwilioSignatureFilter.class);

	static final Map<String, String> ENDPOINTS = Map.of(TwilioRoutes.VOICE, "voice", TwilioRoutes.STREAM_STATUS,
			"stream-status", TwilioRoutes.STREAM_ACTION, "stream-action", TwilioRoutes.GATHER, "gather",
			TwilioRoutes.MEDIA, "stream");

	private final RequestValidator validator;

	private final PublicUrls urls;

	private final WebhookMetrics metrics;

	TwilioSignatureFilter(TwilioProperties twilio, PublicUrls urls, WebhookMetrics metrics) {
		this.validator = twilio.checksSignatures() ? new RequestValidator(twilio.authToken()) : null;
		this.urls = urls;
		this.metrics = metrics;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return this.validator == null || !ENDPOINTS.containsKey(path(request));
	}

	/**
	 * The path the request maps to, as Spring MVC and the WebSocket mapping see it: decoded and
	 * without {@code ;parameters}. Matching the raw URI instead would let {@code /twilio/voice;x}
	 * or {@code /twilio/%76oice} reach the handlers unchecked.
	 */
	static String path(HttpServletRequest request) {
		return PATHS.getLookupPathForRequest(request);
	}

	private static final UrlPathHelper PATHS = UrlPathHelper.defaultInstance;

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = path(request);
		boolean stream = TwilioRoutes.MEDIA.equals(path);
		String base = this.urls.base(request);
		String url;
		Map<String, String> parameters;
		if (stream) {
			url = PublicUrls.streamUrl(base);
			parameters = Map.of();
		}
		else {
			url = base + path + ((request.getQueryString() != null) ? "?" + request.getQueryString() : "");
			parameters = "POST".equals(request.getMethod()) ? bodyParameters(request) : Map.of();
		}
		String signature = request.getHeader("X-Twilio-Signature");
		if (signature != null && this.validator.validate(url, parameters, signature)) {
			chain.doFilter(request, response);
			return;
		}
		String problem = (signature == null) ? "no X-Twilio-Signature" : "an X-Twilio-Signature that does not match";
		if (stream) {
			log.warn("[WebSocket] rejected stream handshake with {}; checked against {} (set PUBLIC_URL to the origin "
					+ "Twilio calls if this URL is not it)", problem, url);
		}
		else {
			this.metrics.request(ENDPOINTS.get(path), "rejected");
			// the query of a GET webhook carries phone numbers: log the URL without it
			log.warn("[Webhook] rejected {} {} with {}; checked against {}{} (set PUBLIC_URL to the origin Twilio "
					+ "calls if this URL is not it)", request.getMethod(), path, problem, base + path,
					(request.getQueryString() != null) ? "?..." : "");
		}
		HandshakeRejection.reject(request, response, HttpServletResponse.SC_FORBIDDEN, "signature",
				"Forbidden: requests to this endpoint must be signed by Twilio (X-Twilio-Signature).");
	}

	/**
	 * The form parameters of a POST without those of its query string: Twilio signs the URL
	 * (query included) and then the body's parameters, while the servlet API merges both.
	 */
	static Map<String, String> bodyParameters(HttpServletRequest request) {
		Map<String, List<String>> query = QueryString.parse(request.getQueryString());
		Map<String, String> body = new TreeMap<>();
		request.getParameterMap().forEach((name, values) -> {
			List<String> remaining = new ArrayList<>(Arrays.asList(values));
			query.getOrDefault(name, List.of()).forEach(remaining::remove);
			if (!remaining.isEmpty()) {
				body.put(name, remaining.get(0));
			}
		});
		return body;
	}

}

package dev.voicebridge.twilio;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import com.twilio.http.HttpClient;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;

/**
 * Sends the Twilio SDK's REST requests to another base URL ({@code TWILIO_API_BASE_URL}): a
 * Twilio-compatible provider, or a fake in tests. Scheme, host and port are replaced; path,
 * parameters and authentication stay as the SDK made them.
 */
final class BaseUrlHttpClient extends HttpClient {

	private final URI base;

	private final HttpClient delegate;

	BaseUrlHttpClient(URI base) {
		this(base, new NetworkHttpClient());
	}

	BaseUrlHttpClient(URI base, HttpClient delegate) {
		this.base = base;
		this.delegate = delegate;
	}

	@Override
	public Response makeRequest(Request request) {
		return this.delegate.makeRequest(rebase(request));
	}

	Request rebase(Request request) {
		URI original = URI.create(request.getUrl());
		String url = this.base.getScheme() + "://" + this.base.getRawAuthority() + original.getRawPath()
				+ ((original.getRawQuery() != null) ? "?" + original.getRawQuery() : "");
		Request rebased = new Request(request.getMethod(), url);
		if (request.getAuthStrategy() != null) {
			rebased.setAuth(request.getAuthStrategy());
		}
		else if (request.getUsername() != null) {
			rebased.setAuth(request.getUsername(), request.getPassword());
		}
		if (request.getContentType() != null) {
			rebased.setContentType(request.getContentType());
		}
		if (request.getBody() != null) {
			rebased.setBody(request.getBody());
		}
		copy(request.getQueryParams(), rebased::addQueryParam);
		copy(request.getPostParams(), rebased::addPostParam);
		copy(request.getHeaderParams(), rebased::addHeaderParam);
		return rebased;
	}

	private static void copy(Map<String, List<String>> parameters, BiConsumer<String, String> add) {
		parameters.forEach((name, values) -> values.forEach((value) -> add.accept(name, value)));
	}

}

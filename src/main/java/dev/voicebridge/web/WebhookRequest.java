package dev.voicebridge.web;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import reactor.core.publisher.Mono;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;

/**
 * A webhook as its controller reads it: Twilio's parameters, which arrive in the query string
 * of a {@code GET} and the form body of a {@code POST}, looked up as one (the query's first,
 * as the servlet API did), and the request itself for its headers and URL. A controller method
 * takes it as an argument; {@link Resolver} reads the body before the method runs, so the method
 * never waits on the network.
 *
 * @param request the request, with trusted forwarded headers applied
 * @param query the query string's parameters
 * @param form the form body's parameters (empty for a {@code GET})
 * @param probe whether the doctor sent it to check the line ({@link #PROBE}): it is no call
 */
public record WebhookRequest(ServerHttpRequest request, MultiValueMap<String, String> query,
		MultiValueMap<String, String> form, boolean probe) {

	/** What a webhook answers. */
	public static final MediaType TWIML = new MediaType("application", "xml", StandardCharsets.UTF_8);

	/**
	 * Parameters Twilio itself adds to a voice webhook. With {@code GET} they arrive in the query
	 * string too, so they must not be mistaken for the operator's own query parameters.
	 */
	public static final Set<String> TWILIO_PARAMETERS = Set.of("AccountSid", "ApiVersion", "CallSid", "CallStatus",
			"CallToken", "Called", "CalledCity", "CalledCountry", "CalledState", "CalledZip", "Caller", "CallerCity",
			"CallerCountry", "CallerName", "CallerState", "CallerZip", "Direction", "ForwardedFrom", "From", "FromCity",
			"FromCountry", "FromState", "FromZip", "ParentCallSid", "StirPassportToken", "StirVerstat", "To", "ToCity",
			"ToCountry", "ToState", "ToZip", "AddOns");

	/** The operator's own query parameters a webhook URL may carry, at most. */
	public static final int MAX_OPERATOR_PARAMETERS = 20;

	/** The longest name or value of an operator's parameter. */
	public static final int MAX_VALUE_LENGTH = 512;

	/** The exchange attribute, set by the diagnostics, that marks the doctor's own requests. */
	public static final String PROBE = WebhookRequest.class.getName() + ".probe";

	/** The first value of a parameter, or null. */
	public String parameter(String name) {
		String value = this.query.getFirst(name);
		return (value != null) ? value : this.form.getFirst(name);
	}

	/** The raw query string, or null. */
	public String queryString() {
		return this.request.getURI().getRawQuery();
	}

	/** A request header, or null. */
	public String header(String name) {
		return this.request.getHeaders().getFirst(name);
	}

	/** Resolves {@link WebhookRequest} arguments of controller methods. */
	public static final class Resolver implements HandlerMethodArgumentResolver {

		@Override
		public boolean supportsParameter(MethodParameter parameter) {
			return parameter.getParameterType() == WebhookRequest.class;
		}

		@Override
		public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext context,
				ServerWebExchange exchange) {
			ServerHttpRequest request = exchange.getRequest();
			return exchange.getFormData()
				.map((form) -> new WebhookRequest(request, request.getQueryParams(), form,
						Boolean.TRUE.equals(exchange.getAttribute(PROBE))));
		}

	}

}

package dev.voicebridge.config;

import java.util.Arrays;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Guards admin endpoints with {@code Authorization: Bearer ADMIN_TOKEN} ({@link AdminAccess}).
 * Without {@code ADMIN_TOKEN} they do not exist (404), so an unconfigured instance offers
 * nothing to probe; a wrong token is a 401, and an address that keeps guessing a 429.
 */
class AdminTokenFilter implements WebFilter, Ordered {

	private static final Logger log = LoggerFactory.getLogger(AdminTokenFilter.class);

	private final AdminAccess access;

	private final List<PathPattern> paths;

	AdminTokenFilter(AdminAccess access, String... paths) {
		this.access = access;
		this.paths = Arrays.stream(paths).map(PathPatternParser.defaultInstance::parse).toList();
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 40;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
		if (this.paths.stream().noneMatch((pattern) -> pattern.matches(path))) {
			return chain.filter(exchange);
		}
		AdminAccess.Verdict verdict = this.access.check(exchange.getRequest());
		return switch (verdict) {
			case GRANTED -> chain.filter(exchange);
			case NOT_CONFIGURED -> Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND));
			case THROTTLED -> {
				exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "60");
				yield Mono.error(new ResponseStatusException(HttpStatus.TOO_MANY_REQUESTS,
						"too many wrong admin tokens from this address; try again in a minute"));
			}
			case MISSING, WRONG -> {
				log.warn("[Admin] refused {} {} from {}: {} bearer token", exchange.getRequest().getMethod(),
						exchange.getRequest().getPath().value(),
						ClientAddress.of(exchange.getRequest().getRemoteAddress()),
						(verdict == AdminAccess.Verdict.MISSING) ? "no" : "a wrong");
				exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
				yield Mono.error(new ResponseStatusException(HttpStatus.UNAUTHORIZED));
			}
		};
	}

}

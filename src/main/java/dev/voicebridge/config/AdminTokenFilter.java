package dev.voicebridge.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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
 * Guards admin endpoints with {@code Authorization: Bearer ADMIN_TOKEN}, compared in constant
 * time. Without {@code ADMIN_TOKEN} they do not exist (404), so an unconfigured instance offers
 * nothing to probe.
 */
class AdminTokenFilter implements WebFilter, Ordered {

	private static final Logger log = LoggerFactory.getLogger(AdminTokenFilter.class);

	private final byte[] token;

	private final List<PathPattern> paths;

	AdminTokenFilter(String adminToken, String... paths) {
		this.token = (adminToken != null) ? adminToken.getBytes(StandardCharsets.UTF_8) : null;
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
		if (this.token == null) {
			return Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND));
		}
		String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		byte[] presented = (header != null && header.startsWith("Bearer "))
				? header.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
		if (!MessageDigest.isEqual(this.token, presented)) {
			log.warn("[Admin] refused {} {} from {}: {} bearer token", exchange.getRequest().getMethod(),
					exchange.getRequest().getPath().value(),
					ClientAddress.of(exchange.getRequest().getRemoteAddress()),
					(header == null) ? "no" : "a wrong");
			exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
			return Mono.error(new ResponseStatusException(HttpStatus.UNAUTHORIZED));
		}
		return chain.filter(exchange);
	}

}

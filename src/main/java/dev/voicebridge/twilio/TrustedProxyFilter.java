package dev.voicebridge.twilio;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.server.adapter.ForwardedHeaderTransformer;

import dev.voicebridge.config.ClientAddress;

/**
 * Applies {@code X-Forwarded-Proto}, {@code X-Forwarded-Host}, {@code X-Forwarded-Port},
 * {@code X-Forwarded-For} and {@code Forwarded} only when the request comes from a proxy of our
 * own network: loopback, private, link-local and carrier-grade NAT addresses, the addresses
 * Tomcat's {@code internalProxies} trusted. From anywhere else they are removed, so a client
 * cannot choose the URL its signature is checked against. Runs first; the request as it arrived
 * stays available to the diagnostics ({@link #ARRIVED}).
 */
public class TrustedProxyFilter implements WebFilter, Ordered {

	/** Exchange attribute: the request before its forwarded headers were applied or removed. */
	public static final String ARRIVED = TrustedProxyFilter.class.getName() + ".arrived";

	private static final String[] FORWARDED = { "Forwarded", "X-Forwarded-Proto", "X-Forwarded-Host",
			"X-Forwarded-Port", "X-Forwarded-For", "X-Forwarded-Prefix", "X-Forwarded-Ssl" };

	private final ForwardedHeaderTransformer apply = new ForwardedHeaderTransformer();

	private final ForwardedHeaderTransformer remove = new ForwardedHeaderTransformer();

	public TrustedProxyFilter() {
		this.remove.setRemoveOnly(true);
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest arrived = exchange.getRequest();
		if (!hasForwardedHeaders(arrived.getHeaders())) {
			return chain.filter(exchange);
		}
		exchange.getAttributes().put(ARRIVED, arrived);
		ForwardedHeaderTransformer transformer = isTrusted(arrived.getRemoteAddress()) ? this.apply : this.remove;
		return chain.filter(exchange.mutate().request(transformer.apply(arrived)).build());
	}

	/** The request's headers as they reached the app, forwarded ones included. */
	public static HttpHeaders arrivedHeaders(ServerWebExchange exchange) {
		return (exchange.getAttribute(ARRIVED) instanceof ServerHttpRequest arrived) ? arrived.getHeaders()
				: exchange.getRequest().getHeaders();
	}

	/** The peer's address as the socket saw it, before any {@code X-Forwarded-For}. */
	public static String arrivedFrom(ServerWebExchange exchange) {
		ServerHttpRequest request = (exchange.getAttribute(ARRIVED) instanceof ServerHttpRequest arrived) ? arrived
				: exchange.getRequest();
		return ClientAddress.of(request.getRemoteAddress());
	}


	private static boolean hasForwardedHeaders(HttpHeaders headers) {
		for (String name : FORWARDED) {
			if (headers.containsHeader(name)) {
				return true;
			}
		}
		return false;
	}

	static boolean isTrusted(InetSocketAddress peer) {
		InetAddress address = (peer != null) ? peer.getAddress() : null;
		if (address == null) {
			return false;
		}
		if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()) {
			return true;
		}
		byte[] bytes = address.getAddress();
		if (address instanceof Inet4Address) {
			// 100.64.0.0/10, carrier-grade NAT: platforms' internal networks
			return (bytes[0] & 0xFF) == 100 && (bytes[1] & 0xC0) == 64;
		}
		// fc00::/7, unique local
		return address instanceof Inet6Address && (bytes[0] & 0xFE) == 0xFC;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}

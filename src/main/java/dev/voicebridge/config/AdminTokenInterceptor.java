package dev.voicebridge.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Guards admin endpoints with {@code Authorization: Bearer ADMIN_TOKEN}, compared in constant
 * time. Without {@code ADMIN_TOKEN} they do not exist (404), so an unconfigured instance offers
 * nothing to probe.
 */
class AdminTokenInterceptor implements HandlerInterceptor {

	private static final Logger log = LoggerFactory.getLogger(AdminTokenInterceptor.class);

	private final byte[] token;

	AdminTokenInterceptor(String adminToken) {
		this.token = (adminToken != null) ? adminToken.getBytes(StandardCharsets.UTF_8) : null;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws Exception {
		if (this.token == null) {
			response.sendError(HttpServletResponse.SC_NOT_FOUND);
			return false;
		}
		String header = request.getHeader("Authorization");
		byte[] presented = (header != null && header.startsWith("Bearer "))
				? header.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
		if (!MessageDigest.isEqual(this.token, presented)) {
			log.warn("[Admin] refused {} {} from {}: {} bearer token", request.getMethod(), request.getRequestURI(),
					request.getRemoteAddr(), (header == null) ? "no" : "a wrong");
			response.setHeader("WWW-Authenticate", "Bearer");
			response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
			return false;
		}
		return true;
	}

}

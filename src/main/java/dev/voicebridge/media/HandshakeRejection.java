package dev.voicebridge.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * How a component refuses a request before it reaches its handler: a short plain answer, and
 * a request attribute naming the reason, so the upgrade funnel can count it.
 */
public final class HandshakeRejection {

	/** Request attribute holding the reason (e.g. {@code signature}, {@code draining}). */
	public static final String ATTRIBUTE = HandshakeRejection.class.getName() + ".reason";

	private HandshakeRejection() {
	}

	public static void reject(HttpServletRequest request, HttpServletResponse response, int status, String reason,
			String message) throws IOException {
		request.setAttribute(ATTRIBUTE, reason);
		response.setStatus(status);
		response.setContentType("text/plain;charset=UTF-8");
		response.getOutputStream().write((message + "\n").getBytes(StandardCharsets.UTF_8));
	}

}

package dev.voicebridge.echo;

import java.util.Locale;

import org.springframework.core.env.Environment;

/**
 * How a servlet echo sends: {@code blocking}, Spring's {@code WebSocketSession.sendMessage} on the
 * thread that read the frame, which returns once the frame is written (what the service does
 * today), or {@code async}, the container's own asynchronous send under Spring's session, which
 * returns at once. Set with {@code --echo.send=async}.
 */
enum SendMode {

	BLOCKING, ASYNC;

	static SendMode of(Environment environment) {
		return valueOf(environment.getProperty("echo.send", "blocking").toUpperCase(Locale.ROOT));
	}

}

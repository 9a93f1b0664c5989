package dev.voicebridge.echo;

import java.util.Locale;

import org.springframework.core.env.Environment;

/**
 * How a servlet echo sends: {@code blocking}, Spring's {@code WebSocketSession.sendMessage} on the
 * thread that read the frame (what the service does today), or {@code async}, the Jakarta
 * WebSocket API's asynchronous send, one message in flight per session. Set with
 * {@code --echo.send=async}.
 */
enum SendMode {

	BLOCKING, ASYNC;

	static SendMode of(Environment environment) {
		return valueOf(environment.getProperty("echo.send", "blocking").toUpperCase(Locale.ROOT));
	}

}

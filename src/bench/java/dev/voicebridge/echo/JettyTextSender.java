package dev.voicebridge.echo;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * Sends text through Jetty's own WebSocket API (the sessions Spring's Jetty upgrade creates)
 * with a callback instead of waiting on it. Jetty queues frames itself, in order, so any number
 * may be in flight.
 */
final class JettyTextSender implements TextSender {

	private final Session session;

	private final Callback callback;

	JettyTextSender(Session session) {
		this.session = session;
		this.callback = Callback.from(() -> {
		}, (failure) -> session.close(1011, "send failed", Callback.NOOP));
	}

	@Override
	public void send(String text) {
		this.session.sendText(text, this.callback);
	}

}

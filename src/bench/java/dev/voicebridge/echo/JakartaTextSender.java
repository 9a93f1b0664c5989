package dev.voicebridge.echo;

import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import dev.voicebridge.web.CloseCodes;


/**
 * Sends text through the Jakarta WebSocket API's asynchronous remote (Tomcat's sessions). Tomcat
 * allows one asynchronous message in flight per session (a second throws), so messages queue
 * here and the next goes out when the last completes; nothing waits on the socket.
 */
final class JakartaTextSender implements TextSender {

	private final Session session;

	private final RemoteEndpoint.Async remote;

	private final Queue<String> queue = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean sending = new AtomicBoolean();

	JakartaTextSender(Session session) {
		this.session = session;
		this.remote = session.getAsyncRemote();
	}

	@Override
	public void send(String text) {
		this.queue.offer(text);
		next();
	}

	private void next() {
		while (this.sending.compareAndSet(false, true)) {
			String text = this.queue.poll();
			if (text != null) {
				this.remote.sendText(text, this::sent);
				return;
			}
			this.sending.set(false);
			if (this.queue.isEmpty()) {
				return;
			}
		}
	}

	private void sent(SendResult result) {
		this.sending.set(false);
		if (!result.isOK()) {
			this.queue.clear();
			try {
				this.session.close(new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "send failed"));
			}
			catch (IOException | IllegalStateException ex) {
				// already closing
			}
			return;
		}
		next();
	}

}

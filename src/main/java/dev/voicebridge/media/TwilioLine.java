package dev.voicebridge.media;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.SessionLimitExceededException;

import dev.voicebridge.call.CallerLine;

/**
 * A Twilio media stream as a {@link CallerLine}. Sends go through one serialising, bounded
 * session decorator; a stream that cannot keep up is closed rather than buffered without end.
 */
final class TwilioLine implements CallerLine {

	private static final Logger log = LoggerFactory.getLogger(TwilioLine.class);

	private final WebSocketSession session;

	private volatile String streamSidJson;

	TwilioLine(WebSocketSession serialisedSession) {
		this.session = serialisedSession;
	}

	@Override
	public void begin(String streamSid) {
		this.streamSidJson = TwilioMessageCodec.jsonString(streamSid);
	}

	@Override
	public void sendMedia(String payload) {
		send(TwilioMessageCodec.media(this.streamSidJson, payload));
	}

	@Override
	public void sendMark(String name) {
		send(TwilioMessageCodec.mark(this.streamSidJson, name));
	}

	@Override
	public void sendClear() {
		send(TwilioMessageCodec.clear(this.streamSidJson));
	}

	private void send(String text) {
		if (this.streamSidJson == null || !this.session.isOpen()) {
			return;
		}
		try {
			this.session.sendMessage(new TextMessage(text));
		}
		catch (SessionLimitExceededException ex) {
			// the decorator has closed the session; the close handler ends the call
			log.warn("[WebSocket] stream {} could not keep up and was closed: {}", this.session.getId(),
					ex.getMessage());
		}
		catch (IOException | IllegalStateException ex) {
			if (this.session.isOpen()) {
				// a send that timed out means the caller's side stopped reading: end this stream alone
				log.warn("[WebSocket] stream {} could not keep up (send failed: {}); closing it", this.session.getId(),
						ex.getMessage());
				close(CloseCodes.POLICY_VIOLATION, "not reading");
			}
		}
	}

	/**
	 * Closes the stream. A close that fails (the socket is stuck, or the container refuses it in
	 * this state) must not leave the caller on an open, silent stream: the connection is then
	 * aborted, which Twilio sees as the stream ending all the same.
	 */
	@Override
	public void close(int code, String reason) {
		if (!this.session.isOpen()) {
			return;
		}
		try {
			this.session.close(new CloseStatus(CloseCodes.sendable(code), reason));
		}
		catch (IOException | IllegalStateException ex) {
			log.warn("[WebSocket] close of stream {} failed ({}); aborting the connection", this.session.getId(),
					ex.toString());
			abort();
		}
	}

	private void abort() {
		try {
			this.session.close(CloseStatus.SESSION_NOT_RELIABLE);
		}
		catch (IOException | IllegalStateException ex) {
			log.warn("[WebSocket] stream {} could not be aborted: {}", this.session.getId(), ex.toString());
		}
	}

}

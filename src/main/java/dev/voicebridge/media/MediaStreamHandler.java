package dev.voicebridge.media;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;

import dev.voicebridge.call.CallMetrics;
import dev.voicebridge.call.CallOutcome;
import dev.voicebridge.call.CallRegistry;
import dev.voicebridge.call.CallSession;
import dev.voicebridge.config.BridgeProperties;
import dev.voicebridge.web.CloseCodes;

/**
 * Twilio's Media Streams WebSocket: one {@link CallSession} per connection. Decodes each text
 * frame on the event loop that read it and hands it to the call; anything that is not protocol
 * is ignored or closes this stream alone. The connection's life is the call's: it ends once the
 * caller's side is closed and everything queued for the caller has gone out.
 */
@Component
class MediaStreamHandler implements WebSocketHandler {

	private static final Logger log = LoggerFactory.getLogger(MediaStreamHandler.class);

	/** What a connection that ended without a close frame is reported as (RFC 6455 §7.4.1). */
	private static final int ABNORMAL = 1006;

	private final CallRegistry calls;

	private final CallMetrics metrics;

	private final BridgeProperties.Media limits;

	MediaStreamHandler(CallRegistry calls, CallMetrics metrics, BridgeProperties properties) {
		this.calls = calls;
		this.metrics = metrics;
		this.limits = properties.media();
	}

	@Override
	public Mono<Void> handle(WebSocketSession session) {
		TwilioLine line = new TwilioLine(session, this.limits);
		CallSession call = this.calls.open(session.getId(), line);
		log.info("[WebSocket] stream {} connected from {}, agent {}", session.getId(),
				session.getHandshakeInfo().getRemoteAddress(), call.agentName());
		// the caller's side ends however the reading ends, cancelled included: Reactor Netty may
		// cancel the handler once the close handshake is done, and the call must still hear of it
		Mono<Void> caller = session.receive()
			.doOnNext((message) -> onMessage(session, call, message))
			.then()
			.onErrorResume((ex) -> {
				log.debug("[WebSocket] transport error on stream {}: {}", session.getId(), ex.toString());
				return Mono.empty();
			})
			.doFinally((signal) -> session.closeStatus()
				.map(CloseStatus::getCode)
				.defaultIfEmpty(ABNORMAL)
				.onErrorReturn(ABNORMAL)
				.subscribe((code) -> {
					line.callerClosed();
					call.onCallerClosed(code);
				}));
		return Mono.when(caller, line.sending());
	}

	private void onMessage(WebSocketSession session, CallSession call, WebSocketMessage message) {
		switch (message.getType()) {
			case TEXT -> call.onTwilioEvent(TwilioMessageCodec.decode(message.getPayload()));
			case BINARY -> {
				this.metrics.ignored(CallMetrics.IgnoredReason.INVALID);
				log.warn("[WebSocket] binary frame on stream {}: Media Streams sends JSON text only; closing",
						session.getId());
				call.end(CallOutcome.REJECTED, CloseCodes.UNSUPPORTED_DATA, "text frames only");
			}
			default -> {
				// pings are answered by the server; pongs carry nothing
			}
		}
	}

}

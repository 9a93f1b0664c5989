package dev.voicebridge.config;

import java.util.function.Consumer;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.adapter.ReactorNettyWebSocketSession;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.server.ServerWebExchange;

/**
 * The upgrade on Reactor Netty, as Spring's {@code ReactorNettyRequestUpgradeStrategy} does it,
 * with sessions ({@link Session}) that reach their connection: a stream can then be aborted when
 * its peer stops reading, and closed when it goes quiet, without a timer per frame.
 */
public final class NettyUpgrade implements RequestUpgradeStrategy {

	private final int maxFramePayloadLength;

	NettyUpgrade(int maxFramePayloadLength) {
		this.maxFramePayloadLength = maxFramePayloadLength;
	}

	@Override
	public Mono<Void> upgrade(ServerWebExchange exchange, WebSocketHandler handler, String subProtocol,
			Supplier<HandshakeInfo> handshakeInfoFactory) {
		ServerHttpResponse response = exchange.getResponse();
		HttpServerResponse nettyResponse = ServerHttpResponseDecorator.getNativeResponse(response);
		HandshakeInfo handshakeInfo = handshakeInfoFactory.get();
		NettyDataBufferFactory buffers = (NettyDataBufferFactory) response.bufferFactory();
		WebsocketServerSpec.Builder builder = WebsocketServerSpec.builder()
			.maxFramePayloadLength(this.maxFramePayloadLength);
		if (subProtocol != null) {
			builder.protocols(subProtocol);
		}
		WebsocketServerSpec spec = builder.build();
		// the response's commit actions run first, as in Spring's own strategy
		exchange.getAttributes().put(WebSocketHandshakes.UPGRADING, Boolean.TRUE);
		return response.setComplete()
			.then(Mono.defer(() -> nettyResponse.sendWebsocket((in, out) -> handler
				.handle(new Session(in, out, handshakeInfo, buffers, this.maxFramePayloadLength)), spec)));
	}

	/** A Reactor Netty WebSocket session that lets its owner act on the connection itself. */
	public static final class Session extends ReactorNettyWebSocketSession {

		Session(WebsocketInbound inbound, WebsocketOutbound outbound, HandshakeInfo info,
				NettyDataBufferFactory buffers, int maxFramePayloadLength) {
			super(inbound, outbound, info, buffers, maxFramePayloadLength);
		}

		/** Runs an action on the session's connection (idle handlers, an abort). */
		public void withConnection(Consumer<? super Connection> action) {
			getDelegate().getInbound().withConnection(action::accept);
		}

	}

}

package dev.voicebridge.echo;

import java.util.Map;

import reactor.netty.http.server.WebsocketServerSpec;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;

/**
 * Reactor Netty and the echo's mapping. Both the server and the upgrade strategy are named
 * explicitly: with Jetty on the classpath, WebFlux would otherwise pick Jetty's upgrade.
 */
@Configuration(proxyBeanMethods = false)
class NettyEchoServer implements WebFluxConfigurer {

	@Bean
	NettyReactiveWebServerFactory nettyReactiveWebServerFactory() {
		return new NettyReactiveWebServerFactory();
	}

	@Bean
	HandlerMapping echoMapping() {
		return new SimpleUrlHandlerMapping(Map.of(EchoApplications.PATH, new ReactiveEchoHandler()), -1);
	}

	@Override
	public WebSocketService getWebSocketService() {
		return new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(
				() -> WebsocketServerSpec.builder().maxFramePayloadLength(EchoApplications.MAX_TEXT_BYTES)));
	}

}

package dev.voicebridge.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;

/**
 * The load test's OpenAI Realtime server, speaking the GA interface: answers the upgrade on
 * {@code /v1/realtime}, sends {@code session.created}, answers a {@code session.update} of the GA
 * shape (a {@code realtime} session with {@code audio/pcmu} audio) with {@code session.updated} and
 * any other with an {@code error}, and echoes every {@code input_audio_buffer.append} back at once
 * as an audio delta carrying the same base64 string. It detects no speech, so it never sends
 * {@code input_audio_buffer.speech_started}: no server's barge-in runs. It runs on an embedded
 * Tomcat (non-blocking I/O, a small worker pool) so that a thousand upstream sockets cost the
 * load generator few threads. Events are recognised by substring, not parsed: the fake must cost
 * as little CPU as possible on the shared cores.
 */
final class EchoUpstream implements AutoCloseable {

	private static final String APPEND = "\"input_audio_buffer.append\"";

	private static final String SESSION_UPDATE = "\"session.update\"";

	private static final String REALTIME_SESSION = "\"type\":\"realtime\"";

	private static final String PCMU = "\"type\":\"audio/pcmu\"";

	private final Tomcat tomcat = new Tomcat();

	private final String deltaType;

	private volatile FrameLog log;

	private final AtomicInteger connections = new AtomicInteger();

	private final AtomicInteger refusedUpdates = new AtomicInteger();

	private final int port;

	/**
	 * @param deltaType the server event that carries audio: {@code response.output_audio.delta}
	 * (GA, what voice-bridge and Twilio's sample since August 2025 read) or {@code response.audio.delta}
	 * (beta, what older checkouts of the sample read)
	 */
	EchoUpstream(int port, String deltaType) throws IOException, LifecycleException {
		this.deltaType = deltaType;
		Path base = Files.createTempDirectory("echo-upstream");
		this.tomcat.setBaseDir(base.toString());
		this.tomcat.setPort(port);
		this.tomcat.getConnector().setProperty("address", "127.0.0.1");
		Context context = this.tomcat.addContext("", base.toString());
		context.addServletContainerInitializer(new WsSci(), null);
		// the WebSocket filter only runs for a request mapped to some servlet
		Tomcat.addServlet(context, "default", new DefaultServlet());
		context.addServletMappingDecoded("/", "default");
		this.tomcat.start();
		ServerContainer container = (ServerContainer) context.getServletContext()
			.getAttribute(ServerContainer.class.getName());
		try {
			container.addEndpoint(ServerEndpointConfig.Builder.create(Echo.class, "/v1/realtime")
				.configurator(new ServerEndpointConfig.Configurator() {
					@Override
					@SuppressWarnings("unchecked")
					public <T> T getEndpointInstance(Class<T> type) {
						return (T) new Echo();
					}
				})
				.build());
		}
		catch (jakarta.websocket.DeploymentException ex) {
			throw new IllegalStateException(ex);
		}
		this.port = this.tomcat.getConnector().getLocalPort();
	}

	String url() {
		return "ws://127.0.0.1:" + this.port + "/v1/realtime";
	}

	/** Where the frames of the next run are recorded. */
	void use(FrameLog frames) {
		this.log = frames;
	}

	int openConnections() {
		return this.connections.get();
	}

	/** {@code session.update} events answered with an error because they were not of the GA shape. */
	int refusedUpdates() {
		return this.refusedUpdates.get();
	}

	@Override
	public void close() throws LifecycleException {
		this.tomcat.stop();
		this.tomcat.destroy();
	}

	final class Echo extends Endpoint {

		@Override
		public void onOpen(Session session, EndpointConfig config) {
			EchoUpstream.this.connections.incrementAndGet();
			session.setMaxTextMessageBufferSize(1 << 20);
			session.addMessageHandler(String.class, (MessageHandler.Whole<String>) (text) -> onText(session, text));
			send(session, "{\"type\":\"session.created\",\"event_id\":\"event_0\",\"session\":{\"type\":\"realtime\","
					+ "\"id\":\"sess_load\",\"object\":\"realtime.session\"}}");
		}

		private void onText(Session session, String text) {
			if (text.contains(APPEND)) {
				long now = System.nanoTime();
				String audio = FrameLog.stringValue(text, "\"audio\":\"");
				if (audio == null) {
					return;
				}
				FrameLog frames = EchoUpstream.this.log;
				if (frames != null) {
					frames.upstream(audio, now);
				}
				send(session, "{\"type\":\"" + EchoUpstream.this.deltaType
						+ "\",\"event_id\":\"event_d\",\"response_id\":\"resp_load\",\"item_id\":\"item_load\","
						+ "\"output_index\":0,\"content_index\":0,\"delta\":\"" + audio + "\"}");
			}
			else if (text.contains(SESSION_UPDATE)) {
				if (text.contains(REALTIME_SESSION) && text.contains(PCMU)) {
					send(session, "{\"type\":\"session.updated\",\"event_id\":\"event_1\",\"session\":{\"type\":"
							+ "\"realtime\",\"id\":\"sess_load\",\"object\":\"realtime.session\"}}");
				}
				else {
					// what the GA API answers a beta-shaped update with; the audio would not be mu-law
					EchoUpstream.this.refusedUpdates.incrementAndGet();
					send(session, "{\"type\":\"error\",\"event_id\":\"event_1\",\"error\":{\"type\":"
							+ "\"invalid_request_error\",\"code\":\"unknown_parameter\",\"message\":"
							+ "\"session.update is not of the GA shape (session.type realtime, audio/pcmu)\"}}");
				}
			}
		}

		private void send(Session session, String text) {
			try {
				session.getBasicRemote().sendText(text);
			}
			catch (IOException | IllegalStateException ex) {
				// the bridge closed this upstream: the call is over
			}
		}

		@Override
		public void onClose(Session session, CloseReason closeReason) {
			EchoUpstream.this.connections.decrementAndGet();
		}

	}

}

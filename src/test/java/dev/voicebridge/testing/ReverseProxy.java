package dev.voicebridge.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;

/**
 * A real nginx or HAProxy started on a free loopback port in front of the app, from one of the
 * configs we ship in {@code docs/proxy/}, with only its listen port and upstream address changed
 * (and, for failure tests, an edit such as removing the upgrade lines). Tests using it declare
 * {@code @RequiresProgram(TestProgram.NGINX)} or {@code HAPROXY}.
 */
public final class ReverseProxy implements AutoCloseable {

	private final Process process;

	private final int port;

	private final Path directory;

	private ReverseProxy(Process process, int port, Path directory) {
		this.process = process;
		this.port = port;
		this.directory = directory;
	}

	/** nginx with {@code docs/proxy/nginx.conf} included in a minimal main config. */
	public static ReverseProxy nginx(Path directory, int appPort, UnaryOperator<String> edit) throws IOException {
		Path nginx = TestProgram.NGINX.path();
		int port = freePort();
		String site = Files.readString(Path.of("docs/proxy/nginx.conf"))
			.replace("listen 8443;", "listen 127.0.0.1:" + port + ";")
			.replace("server 127.0.0.1:8080;", "server 127.0.0.1:" + appPort + ";");
		Files.writeString(directory.resolve("voice-bridge.conf"), edit.apply(site));
		String d = directory.toAbsolutePath().toString();
		Files.writeString(directory.resolve("nginx.conf"), """
				daemon off;
				master_process off;
				pid %1$s/nginx.pid;
				error_log %1$s/error.log info;
				events { worker_connections 256; }
				http {
				    access_log %1$s/access.log;
				    client_body_temp_path %1$s/body;
				    proxy_temp_path %1$s/proxy;
				    fastcgi_temp_path %1$s/fastcgi;
				    uwsgi_temp_path %1$s/uwsgi;
				    scgi_temp_path %1$s/scgi;
				    include %1$s/voice-bridge.conf;
				}
				""".formatted(d));
		return start(List.of(nginx.toString(), "-p", d, "-c", d + "/nginx.conf"), port, directory);
	}

	/** HAProxy with {@code docs/proxy/haproxy.cfg}. */
	public static ReverseProxy haproxy(Path directory, int appPort, UnaryOperator<String> edit) throws IOException {
		Path haproxy = TestProgram.HAPROXY.path();
		int port = freePort();
		String config = Files.readString(Path.of("docs/proxy/haproxy.cfg"))
			.replace(":8443", "127.0.0.1:" + port)
			.replace("127.0.0.1:8080", "127.0.0.1:" + appPort);
		Path file = directory.resolve("haproxy.cfg");
		Files.writeString(file, edit.apply(config));
		return start(List.of(haproxy.toString(), "-db", "-f", file.toString()), port, directory);
	}

	private static ReverseProxy start(List<String> command, int port, Path directory) throws IOException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(directory.resolve("proxy.out").toFile())
			.start();
		ReverseProxy proxy = new ReverseProxy(process, port, directory);
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			if (!process.isAlive()) {
				throw new AssertionError(command.get(0) + " exited: " + proxy.log());
			}
			return accepts(port);
		});
		return proxy;
	}

	public String url() {
		return "http://localhost:" + this.port;
	}

	/** What the proxy wrote about itself, for failure messages. */
	public String log() throws IOException {
		Path out = this.directory.resolve("proxy.out");
		Path error = this.directory.resolve("error.log");
		return (Files.exists(out) ? Files.readString(out) : "") + (Files.exists(error) ? Files.readString(error) : "");
	}

	@Override
	public void close() {
		this.process.destroy();
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}

package dev.voicebridge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP server on a free loopback port that accepts every connection, reads and discards what
 * arrives and never answers: a Redis that hangs without refusing, which is worse than one that is
 * down, since every command waits out its timeout.
 */
public final class SilentTcpServer implements AutoCloseable {

	private final ServerSocket server;

	private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

	private final AtomicInteger accepted = new AtomicInteger();

	public SilentTcpServer() {
		try {
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		daemon(this::accept, "silent-tcp-" + port());
	}

	public int port() {
		return this.server.getLocalPort();
	}

	/** {@code redis://127.0.0.1:PORT}, as {@code REDIS_URL} takes it. */
	public String redisUrl() {
		return "redis://127.0.0.1:" + port();
	}

	/** Connections accepted so far. */
	public int accepted() {
		return this.accepted.get();
	}

	private void accept() {
		while (!this.server.isClosed()) {
			Socket socket;
			try {
				socket = this.server.accept();
			}
			catch (IOException ex) {
				return; // closed
			}
			this.connections.add(socket);
			this.accepted.incrementAndGet();
			if (this.server.isClosed()) {
				closeQuietly(socket);
				return;
			}
			daemon(() -> discard(socket), "silent-tcp-" + port() + "-reader");
		}
	}

	private void discard(Socket socket) {
		try (InputStream in = socket.getInputStream()) {
			in.transferTo(OutputStream.nullOutputStream());
		}
		catch (IOException ex) {
			// the peer or close() ended it
		}
		finally {
			this.connections.remove(socket);
			closeQuietly(socket);
		}
	}

	private static void daemon(Runnable task, String name) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	@Override
	public void close() {
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		this.connections.forEach(SilentTcpServer::closeQuietly);
	}

}

package dev.voicebridge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A WebSocket client by hand (RFC 6455), for clients no library would be: ones that upgrade
 * and then never read a byte.
 */
public final class RawWebSocket {

	private RawWebSocket() {
	}

	/** Sends the upgrade request and reads the response's head; answers its status line. */
	public static String upgrade(Socket socket, String path) throws IOException {
		socket.getOutputStream()
			.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
					+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
		InputStream in = socket.getInputStream();
		StringBuilder head = new StringBuilder();
		int b;
		while ((b = in.read()) != -1) {
			head.append((char) b);
			if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
				break;
			}
		}
		int end = head.indexOf("\r\n");
		return (end >= 0) ? head.substring(0, end) : head.toString();
	}

	/**
	 * A socket to the port whose receive buffer is small, so that a client that stops reading
	 * backs the server up after kilobytes rather than the megabytes loopback otherwise takes.
	 */
	public static Socket unread(int port) throws IOException {
		Socket socket = new Socket();
		socket.setReceiveBufferSize(4096);
		socket.connect(new InetSocketAddress("localhost", port));
		return socket;
	}

	/** A masked text frame carrying {@code text}, with a zero mask. */
	public static byte[] textFrame(String text) {
		byte[] payload = text.getBytes(StandardCharsets.UTF_8);
		if (payload.length >= 126) {
			byte[] frame = textFrame(payload.length);
			System.arraycopy(payload, 0, frame, 8, payload.length);
			return frame;
		}
		// a short one says its length in seven bits, as the RFC requires
		byte[] frame = new byte[2 + 4 + payload.length];
		frame[0] = (byte) 0x81;
		frame[1] = (byte) (0x80 | payload.length);
		System.arraycopy(payload, 0, frame, 6, payload.length);
		return frame;
	}

	/**
	 * A masked text frame (RFC 6455 §5.2) of {@code length} (126 to 65,535) bytes of {@code a},
	 * with a zero mask, so the payload goes as it is.
	 */
	public static byte[] textFrame(int length) {
		byte[] frame = new byte[4 + 4 + length];
		frame[0] = (byte) 0x81;
		frame[1] = (byte) (0x80 | 126);
		frame[2] = (byte) (length >> 8);
		frame[3] = (byte) length;
		Arrays.fill(frame, 8, frame.length, (byte) 'a');
		return frame;
	}

}

package dev.voicebridge.media;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import dev.voicebridge.testing.Audio;
import dev.voicebridge.testing.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream whose Twilio side stops reading is closed once what waits for it passes
 * {@code voicebridge.media.send-buffer-limit}, and the server buffers nothing without end: the
 * event loop takes from the queue only while the socket is writable, so the queue is where
 * the backlog shows. The bound the README states, which no test held it to before.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "voicebridge.media.send-buffer-limit=64KB")
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class SlowTwilioReaderIntegrationTests {

	@LocalServerPort
	private int port;

	@Test
	void aStreamThatStopsReadingIsClosedWithoutBufferingWithoutEnd(CapturedOutput output) throws Exception {
		boolean dropped = false;
		try (Socket socket = RawWebSocket.unread(this.port)) {
			assertThat(RawWebSocket.upgrade(socket, "/twilio-media")).startsWith("HTTP/1.1 101");
			OutputStream out = socket.getOutputStream();
			out.write(RawWebSocket.textFrame("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}"));
			out.write(RawWebSocket.textFrame("{\"event\":\"start\",\"start\":{\"streamSid\":\"MZslow1\",\"callSid\":"
					+ "\"CAslow1\",\"accountSid\":\"ACfake\",\"customParameters\":{},\"mediaFormat\":{\"encoding\":"
					+ "\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}},\"streamSid\":\"MZslow1\"}"));
			// the echo agent sends each frame back; from here on nothing is read
			for (int i = 0; i < 200_000 && !dropped; i++) {
				try {
					out.write(RawWebSocket.textFrame("{\"event\":\"media\",\"streamSid\":\"MZslow1\",\"media\":{"
							+ "\"track\":\"inbound\",\"chunk\":\"" + i + "\",\"timestamp\":\"" + (i * 20)
							+ "\",\"payload\":\"" + Audio.frame(i) + "\"}}"));
				}
				catch (IOException ex) {
					dropped = true;
				}
			}
		}
		assertThat(dropped).as("the server dropped the stream").isTrue();
		assertThat(output.getAll()).contains("[WebSocket] stream").contains("could not keep up");
	}

}

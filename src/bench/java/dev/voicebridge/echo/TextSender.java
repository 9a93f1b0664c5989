package dev.voicebridge.echo;

/** Sends a text message without waiting for the socket: the servlet echo's {@code async} mode. */
interface TextSender {

	void send(String text);

}

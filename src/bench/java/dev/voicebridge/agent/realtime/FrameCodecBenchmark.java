package dev.voicebridge.agent.realtime;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import dev.voicebridge.agent.Base64Audio;
import dev.voicebridge.call.LineEvent;
import dev.voicebridge.media.TwilioMessageCodec;

/**
 * The JSON work per audio frame, each direction: a Twilio {@code media} message to the upstream
 * {@code input_audio_buffer.append}, and an upstream {@code response.output_audio.delta} to a
 * Twilio {@code media} message. The payload is never decoded.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FrameCodecBenchmark {

	/** Audio bytes per frame: 160 is Twilio's 20 ms; OpenAI's deltas are often larger. */
	@Param({ "160", "800" })
	int bytes;

	private String twilioMedia;

	/** The same message as the socket hands it over: UTF-8 bytes in a buffer, read from the start each time. */
	private DataBuffer twilioFrame;

	private String openAiDelta;

	private String streamSidJson;

	@Setup
	public void frames() {
		byte[] audio = new byte[this.bytes];
		new Random(42).nextBytes(audio);
		String payload = Base64.getEncoder().encodeToString(audio);
		this.twilioMedia = "{\"event\":\"media\",\"sequenceNumber\":\"1234\",\"media\":{\"track\":\"inbound\",\"chunk\":\"1233\","
				+ "\"timestamp\":\"24660\",\"payload\":\"" + payload + "\"},\"streamSid\":\"MZ18ad3ab5a668481ce02b83e7395059f0\"}";
		this.openAiDelta = "{\"type\":\"response.output_audio.delta\",\"event_id\":\"event_Bm0yeE4rTqg8w7YsBFnFg\","
				+ "\"response_id\":\"resp_Bm0yd3hWkSRCAv1CoBPvj\",\"item_id\":\"item_Bm0ydm5HH6fDpzGjbYtXY\",\"output_index\":0,"
				+ "\"content_index\":0,\"delta\":\"" + payload + "\"}";
		this.streamSidJson = TwilioMessageCodec.jsonString("MZ18ad3ab5a668481ce02b83e7395059f0");
		this.twilioFrame = DefaultDataBufferFactory.sharedInstance
			.wrap(this.twilioMedia.getBytes(StandardCharsets.UTF_8));
	}

	/** As the media socket does it: the frame's bytes, read by the fast path for plain {@code media}. */
	@Benchmark
	public String callerFrameToAppend() {
		this.twilioFrame.readPosition(0);
		LineEvent event = TwilioMessageCodec.decode(this.twilioFrame);
		return RealtimeEvents.append(((LineEvent.Media) event).payload());
	}

	/** As the relay does it: the delta is checked to be base64 before it is spliced into Twilio's JSON. */
	@Benchmark
	public String agentDeltaToTwilioMedia() {
		RealtimeEvents.ServerEvent event = RealtimeEvents.read(this.openAiDelta);
		String delta = event.delta();
		return Base64Audio.isWellFormed(delta) ? TwilioMessageCodec.media(this.streamSidJson, delta) : null;
	}

}

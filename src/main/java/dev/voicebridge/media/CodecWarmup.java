package dev.voicebridge.media;

import java.util.Arrays;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

import dev.voicebridge.call.LineEvent;
import dev.voicebridge.config.StartupProperties;

/**
 * Runs the Twilio side of the per-frame path (decoding {@code media} and {@code mark}, encoding
 * agent {@code media}) a few thousand times before the instance reports ready, so that the JIT
 * has compiled it when the first calls arrive instead of compiling it while they talk. Runners
 * run after the web server has started and before the readiness state turns to accepting
 * traffic, so webhooks are already answered meanwhile.
 */
@Component
class CodecWarmup implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(CodecWarmup.class);

	/** Enough for C2 to compile the loop's methods (Tier4 thresholds are in the low thousands). */
	static final int FRAMES = 20_000;

	private final StartupProperties startup;

	CodecWarmup(StartupProperties startup) {
		this.startup = startup;
	}

	@Override
	public void run(ApplicationArguments args) {
		if (!this.startup.warmUp()) {
			log.info("[Startup] warm-ups off (voicebridge.startup.warm-up=false): the first calls compile the frame paths");
			return;
		}
		long began = System.nanoTime();
		long checksum = warm(FRAMES);
		log.info("[Startup] warmed the Twilio frame codec in {} ms ({} frames each way, checksum {})",
				(System.nanoTime() - began) / 1_000_000, FRAMES, checksum);
	}

	/** Decodes and encodes {@code frames} frames; returns a value depending on every result. */
	static long warm(int frames) {
		byte[] audio = new byte[160];
		Arrays.fill(audio, (byte) 0xFF);
		String payload = Base64.getEncoder().encodeToString(audio);
		String streamSid = "MZ00000000000000000000000000000000";
		String streamSidJson = TwilioMessageCodec.jsonString(streamSid);
		long checksum = 0;
		for (int i = 0; i < frames; i++) {
			String media = "{\"event\":\"media\",\"sequenceNumber\":\"" + (i + 2) + "\",\"media\":{\"track\":\"inbound\","
					+ "\"chunk\":\"" + (i + 1) + "\",\"timestamp\":\"" + (i * 20) + "\",\"payload\":\"" + payload
					+ "\"},\"streamSid\":\"" + streamSid + "\"}";
			if (TwilioMessageCodec.decode(media) instanceof LineEvent.Media decoded) {
				checksum += decoded.payload().length();
			}
			if (i % 5 == 0 && TwilioMessageCodec.decode("{\"event\":\"mark\",\"sequenceNumber\":\"" + i
					+ "\",\"streamSid\":\"" + streamSid + "\",\"mark\":{\"name\":\"" + i + "\"}}") instanceof LineEvent.Mark) {
				checksum++;
			}
			checksum += TwilioMessageCodec.media(streamSidJson, payload).length();
		}
		return checksum;
	}

}

package dev.voicebridge.agent.realtime;

import java.util.Arrays;
import java.util.Base64;

import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.voicebridge.agent.AgentListener;
import dev.voicebridge.agent.AgentSession;
import dev.voicebridge.agent.SerialEvents;
import dev.voicebridge.agent.VoiceAgent;
import dev.voicebridge.config.OpenAiProperties;
import dev.voicebridge.config.PrivacyProperties;
import dev.voicebridge.profiles.CallProfile;
import dev.voicebridge.profiles.Profiles;

/**
 * The OpenAI Realtime API (GA interface) as a {@link VoiceAgent}: one WebSocket per call over a
 * shared OkHttp client, opened as soon as the caller's stream connects, to the upstream of the
 * call's profile.
 */
public final class RealtimeAgent implements VoiceAgent {

	private static final Logger log = LoggerFactory.getLogger(RealtimeAgent.class);

	/** Enough for C2 to compile the loop's methods (Tier4 thresholds are in the low thousands). */
	static final int WARM_UP_FRAMES = 20_000;

	private final OkHttpClient client;

	private final OpenAiProperties openai;

	private final Profiles profiles;

	private final UpstreamMetrics metrics;

	private final PrivacyProperties privacy;

	public RealtimeAgent(OkHttpClient client, OpenAiProperties openai, Profiles profiles, UpstreamMetrics metrics,
			PrivacyProperties privacy) {
		this.client = client;
		this.openai = openai;
		this.profiles = profiles;
		this.metrics = metrics;
		this.privacy = privacy;
	}

	@Override
	public String name() {
		return "openai";
	}

	@Override
	public void warmUp() {
		long began = System.nanoTime();
		long checksum = warm(WARM_UP_FRAMES);
		log.info("[OpenAI] warmed the upstream frame codec in {} ms ({} frames each way, checksum {})",
				(System.nanoTime() - began) / 1_000_000, WARM_UP_FRAMES, checksum);
	}

	/** Caller audio to {@code append} and audio deltas read back; a value depending on every result. */
	static long warm(int frames) {
		byte[] audio = new byte[160];
		Arrays.fill(audio, (byte) 0xFF);
		String payload = Base64.getEncoder().encodeToString(audio);
		long checksum = 0;
		for (int i = 0; i < frames; i++) {
			checksum += RealtimeEvents.append(payload).length();
			RealtimeEvents.ServerEvent delta = RealtimeEvents.read("{\"type\":\"response.output_audio.delta\","
					+ "\"event_id\":\"event_" + i + "\",\"response_id\":\"resp_warm\",\"item_id\":\"item_warm\","
					+ "\"output_index\":0,\"content_index\":0,\"delta\":\"" + payload + "\"}");
			checksum += delta.delta().length();
		}
		return checksum;
	}

	@Override
	public AgentSession open(AgentListener listener, SerialEvents events) {
		RealtimeSession session = new RealtimeSession(this, listener, events);
		session.connect();
		return session;
	}

	OkHttpClient client() {
		return this.client;
	}

	OpenAiProperties openai() {
		return this.openai;
	}

	/** The profile a call has until its start names one: the default. */
	CallProfile defaultProfile() {
		return this.profiles.defaultProfile();
	}

	/**
	 * Whether every call gets the default profile: its session can then be configured as soon as
	 * the upstream socket opens, before Twilio's {@code start}.
	 */
	boolean configuresEarly() {
		return this.profiles.isSingle();
	}

	UpstreamMetrics metrics() {
		return this.metrics;
	}

	PrivacyProperties privacy() {
		return this.privacy;
	}

}

package dev.voicebridge.agent.realtime;

import java.util.concurrent.ScheduledExecutorService;

import okhttp3.OkHttpClient;

import dev.voicebridge.agent.AgentListener;
import dev.voicebridge.agent.AgentSession;
import dev.voicebridge.agent.VoiceAgent;
import dev.voicebridge.config.AgentProperties;
import dev.voicebridge.config.OpenAiProperties;

/**
 * The OpenAI Realtime API (GA interface) as a {@link VoiceAgent}: one WebSocket per call over a
 * shared OkHttp client, opened as soon as the caller's stream connects.
 */
public final class RealtimeAgent implements VoiceAgent {

	private final OkHttpClient client;

	private final OpenAiProperties openai;

	private final AgentProperties agent;

	private final UpstreamMetrics metrics;

	private final ScheduledExecutorService timer;

	private final String sessionUpdate;

	public RealtimeAgent(OkHttpClient client, OpenAiProperties openai, AgentProperties agent, UpstreamMetrics metrics,
			ScheduledExecutorService timer) {
		this.client = client;
		this.openai = openai;
		this.agent = agent;
		this.metrics = metrics;
		this.timer = timer;
		this.sessionUpdate = RealtimeEvents.sessionUpdate(openai, agent);
	}

	@Override
	public String name() {
		return "openai";
	}

	@Override
	public AgentSession open(AgentListener listener) {
		RealtimeSession session = new RealtimeSession(this, listener);
		session.connect();
		return session;
	}

	OkHttpClient client() {
		return this.client;
	}

	OpenAiProperties openai() {
		return this.openai;
	}

	String greeting() {
		return this.agent.greeting();
	}

	String sessionUpdate() {
		return this.sessionUpdate;
	}

	String continuedSessionUpdate(String conversation) {
		return RealtimeEvents.continuedSessionUpdate(this.openai, this.agent, conversation);
	}

	UpstreamMetrics metrics() {
		return this.metrics;
	}

	ScheduledExecutorService timer() {
		return this.timer;
	}

}

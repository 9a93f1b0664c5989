package dev.voicebridge.call;

/**
 * A call's agent failed. {@code agentHeard}: the caller had already heard the agent, so the
 * call cannot start over in traditional mode as if nothing had happened.
 */
public record AgentFailedEvent(String callSid, boolean agentHeard) {
}

package dev.voicebridge.call;

/** A call's stream started and its agent is ready: the whole path works, for routing's breaker. */
public record AgentReadyEvent(String callSid) {
}

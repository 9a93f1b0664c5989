package dev.voicebridge.agent;

/**
 * Where the caller cut the agent off: the assistant item that was playing and how much of its
 * audio the caller heard, in milliseconds (never more than was sent).
 */
public record Interruption(String itemId, long audioEndMs) {
}

package dev.voicebridge.call;

/**
 * The voice webhook answered a call with a Stream URL; a stream should start for it shortly.
 */
public record StreamHandedOutEvent(String callSid, String streamUrl) {
}

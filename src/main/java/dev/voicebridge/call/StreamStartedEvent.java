package dev.voicebridge.call;

/**
 * A media stream's {@code start} arrived: Twilio's upgrade reached the app and the call is live.
 */
public record StreamStartedEvent(String callSid, String streamSid) {
}

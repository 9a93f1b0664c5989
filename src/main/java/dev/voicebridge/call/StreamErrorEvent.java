package dev.voicebridge.call;

/**
 * Twilio reported over its status callback that a stream failed, often because the upgrade
 * itself never reached us. {@code error} is Twilio's {@code StreamError} text.
 */
public record StreamErrorEvent(String callSid, String streamSid, String error) {
}

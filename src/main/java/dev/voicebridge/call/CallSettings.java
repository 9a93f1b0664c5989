package dev.voicebridge.call;

import java.time.Duration;
import java.util.concurrent.Executor;

import dev.voicebridge.config.CallInsightProperties;
import dev.voicebridge.config.PrivacyProperties;
import dev.voicebridge.profiles.Profiles;

/**
 * What every call shares: how it reaches Twilio's REST API, where its blocking work runs, and
 * its limits. One instance, built by the registry.
 *
 * @param control Twilio's REST API for hang-ups and transfers
 * @param profiles where a call finds its profile (transfer number, metrics tag) at {@code start}
 * @param restExecutor runs REST calls (they block)
 * @param offload runs a call's timer events and socket closes (they may block)
 * @param privacy what the logs may say about the caller
 * @param heldAudioLimit caller audio held while the agent connects
 * @param insight the keypad, the time limit and prices
 * @param prices what tokens cost
 * @param records where each call's record goes
 * @param admission whether a stream's start belongs to one of our calls
 * @param startTimeout how long a stream may take to send a start that is admitted
 */
record CallSettings(CallControl control, Profiles profiles, Executor restExecutor, Executor offload,
		PrivacyProperties privacy, Duration heldAudioLimit,
		CallInsightProperties insight, CallPrices prices, CallRecordSink records, StreamAdmission admission,
		Duration startTimeout) {
}

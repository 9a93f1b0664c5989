package dev.voicebridge.traditional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.voicebridge.agent.Keypad;
import dev.voicebridge.agent.TokenUsage;
import dev.voicebridge.agent.Turn;
import dev.voicebridge.call.CallMetrics;
import dev.voicebridge.call.CallOutcome;
import dev.voicebridge.call.CallPrices;
import dev.voicebridge.call.CallRecord;
import dev.voicebridge.call.CallRecordSink;
import dev.voicebridge.config.CallInsightProperties;
import dev.voicebridge.profiles.CallProfile;

/**
 * Traditional mode's share of call insight: whether the keypad reaches the agent, the time limit,
 * what tokens cost, and the record of a call that ended.
 */
class CallInsight {

	private final CallInsightProperties properties;

	private final CallPrices prices;

	private final CallMetrics metrics;

	private final CallRecordSink records;

	CallInsight(CallInsightProperties properties, CallMetrics metrics, CallRecordSink records) {
		this.properties = properties;
		this.prices = new CallPrices(properties);
		this.metrics = metrics;
		this.records = records;
	}

	boolean keypadToAgent(CallProfile profile) {
		String own = profile.dtmf();
		return (own != null) ? own.equals("agent") : this.properties.dtmf() == CallInsightProperties.DtmfMode.AGENT;
	}

	boolean timeIsUp(long startedAt, long now) {
		return this.properties.maxCallDuration() != null && startedAt > 0
				&& now - startedAt >= this.properties.maxCallDuration().toMillis();
	}

	String timeLimitGoodbye() {
		return this.properties.timeLimitGoodbye();
	}

	/** Counts a reply's tokens and returns their estimated cost, or null without a price for the model. */
	Double count(String model, TokenUsage usage) {
		this.metrics.tokens("traditional", usage);
		Double amount = this.prices.cost(model, usage);
		if (amount != null) {
			this.metrics.cost("traditional", amount);
		}
		return amount;
	}

	/**
	 * The record of a call that ended; its transcript is the history the conversation kept
	 * ({@code voicebridge.traditional.max-history} messages), keypad entries without their digits.
	 */
	void publish(String callSid, Conversation conversation, TurnSettings settings, CallOutcome outcome, long endedAt) {
		List<Turn> transcript = new ArrayList<>(conversation.messages().size());
		for (Message message : conversation.messages()) {
			boolean caller = "user".equals(message.role());
			if (caller && Keypad.isMessage(message.content())) {
				transcript.add(new Turn("keypad", Turn.KEYPAD_ENTRY, false));
			}
			else {
				transcript.add(new Turn(caller ? "caller" : "agent", message.content(), false));
			}
		}
		CallTally tally = conversation.totals();
		long startedAt = (settings.startedAt() > 0) ? settings.startedAt() : endedAt;
		this.records.publish(new CallRecord(CallRecord.TYPE, callSid, null, settings.profile(), settings.plan(),
				"traditional", "traditional", outcome.tag(), Instant.ofEpochMilli(startedAt),
				Math.max(0, endedAt - startedAt), 0, 0, 0, tally.keypadEntries(), transcript, tally.tokens().byKind(),
				(tally.cost() != null) ? new CallRecord.Cost(tally.cost(), this.prices.currency()) : null));
	}

}

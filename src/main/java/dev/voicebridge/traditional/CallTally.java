package dev.voicebridge.traditional;

import dev.voicebridge.agent.TokenUsage;

/**
 * A traditional call's running totals for its record: tokens, their estimated cost (null
 * without a price for the model) and keypad entries.
 */
record CallTally(TokenUsage tokens, Double cost, int keypadEntries) {

	static final CallTally NONE = new CallTally(TokenUsage.NONE, null, 0);

	CallTally plus(TokenUsage used, Double amount) {
		Double total = this.cost;
		if (amount != null) {
			total = (total != null) ? total + amount : amount;
		}
		return new CallTally(this.tokens.plus(used), total, this.keypadEntries);
	}

	CallTally keypad() {
		return new CallTally(this.tokens, this.cost, this.keypadEntries + 1);
	}

}

package dev.voicebridge.call;

import java.util.Map;

import dev.voicebridge.agent.TokenUsage;
import dev.voicebridge.config.CallInsightProperties;

/** The configured price table: what tokens of a model cost, or null for a model it has no price for. */
public final class CallPrices {

	private final Map<String, CallInsightProperties.Price> prices;

	private final String currency;

	public CallPrices(CallInsightProperties properties) {
		this.prices = properties.prices();
		this.currency = properties.currency();
	}

	/** The cost of {@code usage} of {@code model}, or null without a price for it. */
	public Double cost(String model, TokenUsage usage) {
		CallInsightProperties.Price price = (model != null) ? this.prices.get(model) : null;
		if (price == null) {
			return null;
		}
		return (usage.inputText() * price.inputText() + usage.inputAudio() * price.inputAudio()
				+ usage.cachedText() * price.cachedText() + usage.cachedAudio() * price.cachedAudio()
				+ usage.outputText() * price.outputText() + usage.outputAudio() * price.outputAudio()) / 1_000_000.0;
	}

	public String currency() {
		return this.currency;
	}

}

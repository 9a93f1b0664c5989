package dev.voicebridge.config;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;


/**
 * What a call tells beyond its audio: the caller's keypad, what it cost, when it must end, and
 * where its record goes.
 *
 * @param dtmf {@code DTMF_MODE}: {@code agent} (digits reach the agent) or {@code ignore}; a
 * profile's {@code dtmf} wins
 * @param interDigitTimeout digits typed closer together than this are one entry ({@code #} ends one)
 * @param maxCallDuration {@code MAX_CALL_DURATION}: a call this long is ended politely (the agent says
 * {@code timeLimitGoodbye}, then it hangs up); unset, no limit
 * @param timeLimitGoodbye what the agent says then
 * @param prices per model, the price of a million tokens of each kind, in {@code currency}; no price
 * is built in (a model name with a dot is bound in brackets: {@code prices[gpt-4.1-mini].input-text})
 * @param currency the prices' currency, as the cost metric and the records name it
 * @param eventsUrl {@code CALL_EVENTS_URL}: each call's record is POSTed here
 * @param eventsSecret {@code CALL_EVENTS_SECRET}: the HMAC-SHA256 key of the records' signature; never logged
 * @param eventsMaxPending records kept for a receiver that does not answer; beyond, the oldest goes
 * @param eventsMaxAge how long a record is retried before it is given up
 * @param eventsTimeout how long one delivery may take
 * @param eventsRetryDelay the wait after a first failed delivery; it doubles with each failure, up to a minute
 */
@Validated
@ConfigurationProperties("voicebridge.calls")
public record CallInsightProperties(@NotNull @DefaultValue("agent") DtmfMode dtmf,
		@NotNull @DefaultValue("1s") Duration interDigitTimeout, Duration maxCallDuration,
		@NotBlank @DefaultValue(DEFAULT_GOODBYE) String timeLimitGoodbye, Map<String, Price> prices,
		@NotBlank @DefaultValue("USD") String currency, URI eventsUrl, String eventsSecret,
		@DefaultValue("1000") int eventsMaxPending, @NotNull @DefaultValue("1h") Duration eventsMaxAge,
		@NotNull @DefaultValue("10s") Duration eventsTimeout, @NotNull @DefaultValue("1s") Duration eventsRetryDelay) {

	static final String DEFAULT_GOODBYE = "We have reached the time limit for this call. Thank you for calling, goodbye.";

	public CallInsightProperties {
		prices = (prices != null) ? Map.copyOf(prices) : Map.of();
		eventsSecret = Blank.toNull(eventsSecret);
		if (maxCallDuration != null && maxCallDuration.toMillis() < 1000) {
			throw new InvalidSettingException("voicebridge.calls.max-call-duration",
					"must be at least 1s (or unset for no limit), was " + maxCallDuration);
		}
		if (eventsUrl != null && !"http".equals(eventsUrl.getScheme()) && !"https".equals(eventsUrl.getScheme())) {
			throw new InvalidSettingException("voicebridge.calls.events-url", "must start with https://");
		}
		if (eventsUrl != null && eventsSecret == null) {
			throw new InvalidSettingException("voicebridge.calls.events-secret",
					"must be set when CALL_EVENTS_URL is: the receiver checks each record's signature with it");
		}
		if (eventsMaxPending < 1) {
			throw new InvalidSettingException("voicebridge.calls.events-max-pending", "must be at least 1");
		}
	}

	@Override
	public String toString() {
		return "CallInsightProperties[dtmf=" + this.dtmf + ", interDigitTimeout=" + this.interDigitTimeout
				+ ", maxCallDuration=" + this.maxCallDuration + ", prices=" + this.prices.keySet() + ", eventsUrl="
				+ ((this.eventsUrl != null) ? this.eventsUrl.getHost() : null) + ", eventsSecret="
				+ ((this.eventsSecret != null) ? "****" : "unset") + "]";
	}

	/** Keypad digits reach the agent, or are only counted. */
	public enum DtmfMode {

		AGENT, IGNORE;

		public String wireName() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	/** The price of a million tokens of each kind; a kind left out costs nothing. */
	public record Price(double inputText, double inputAudio, double cachedText, double cachedAudio, double outputText,
			double outputAudio) {
	}

}

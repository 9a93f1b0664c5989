package dev.voicebridge.config;

import java.util.List;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Which numbers {@code POST /calls} may dial, and how often: an admin token that leaks must not
 * become a bill for premium or international calls.
 *
 * @param allowedPrefixes {@code OUTBOUND_ALLOWED_PREFIXES}: E.164 prefixes a number must start
 * with, such as {@code +1} or {@code +44,+353}; none set, no outbound call is placed
 * @param perMinute {@code OUTBOUND_CALLS_PER_MINUTE}: calls placed per minute, by every instance sharing the state
 * @param perDay {@code OUTBOUND_CALLS_PER_DAY}: calls placed per day (UTC), likewise
 */
@Validated
@ConfigurationProperties("voicebridge.outbound")
public record OutboundProperties(List<String> allowedPrefixes, @DefaultValue("5") int perMinute,
		@DefaultValue("100") int perDay) {

	private static final Pattern PREFIX = Pattern.compile("\\+[0-9]{1,14}");

	public OutboundProperties {
		allowedPrefixes = (allowedPrefixes != null)
				? allowedPrefixes.stream().map(String::strip).filter((prefix) -> !prefix.isEmpty()).toList() : List.of();
		for (String prefix : allowedPrefixes) {
			if (!PREFIX.matcher(prefix).matches()) {
				throw new InvalidSettingException("voicebridge.outbound.allowed-prefixes",
						"takes E.164 prefixes such as +1 or +44,+353, was " + Secrets.forLog(prefix, 20));
			}
		}
		LimitsProperties.positive("voicebridge.outbound.per-minute", perMinute);
		LimitsProperties.positive("voicebridge.outbound.per-day", perDay);
	}

	/** Whether a number in E.164 form may be dialled. */
	public boolean allows(String number) {
		return this.allowedPrefixes.stream().anyMatch(number::startsWith);
	}

}

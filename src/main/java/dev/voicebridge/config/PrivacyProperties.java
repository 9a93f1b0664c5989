package dev.voicebridge.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What a call's logs may say about the caller. What callers say and the keys they press are
 * personal data (card numbers, PINs, addresses): by default the logs show that a transcript or
 * a digit arrived, not its content, as phone numbers keep only their last four digits.
 *
 * @param logTranscripts {@code LOG_TRANSCRIPTS}: log transcripts and DTMF digits in full
 */
@ConfigurationProperties("voicebridge.privacy")
public record PrivacyProperties(@DefaultValue("false") boolean logTranscripts) {

	/** A transcript as the logs may show it. */
	public String transcript(String text) {
		if (this.logTranscripts || text == null) {
			return text;
		}
		return "(" + text.strip().split("\\s+").length + " words; LOG_TRANSCRIPTS=true logs them)";
	}

	/** A DTMF digit as the logs may show it. */
	public String digit(String digit) {
		return this.logTranscripts ? digit : "*";
	}

}

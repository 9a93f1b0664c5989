package dev.voicebridge.config;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Service-wide settings: the public URL, the admin token, draining and what a caller hears
 * when the agent fails.
 *
 * @param publicUrl the URL Twilio reaches us at ({@code PUBLIC_URL}); derived per request when unset
 * @param adminToken bearer token for admin endpoints ({@code ADMIN_TOKEN}); they answer 404 without it
 * @param drainTimeout how long active calls may finish after SIGTERM ({@code DRAIN_TIMEOUT})
 * @param fallback what a caller hears when the agent fails
 * @param media limits of the Twilio-facing WebSocket
 */
@Validated
@ConfigurationProperties("voicebridge")
public record BridgeProperties(URI publicUrl, String adminToken,
		@NotNull @DefaultValue("30s") Duration drainTimeout, @Valid @DefaultValue Fallback fallback,
		@Valid @DefaultValue Media media) {

	public BridgeProperties {
		adminToken = Blank.toNull(adminToken);
		if (adminToken != null && adminToken.length() < MIN_ADMIN_TOKEN) {
			// the length only: the token itself is never repeated
			throw new InvalidSettingException("voicebridge.admin-token", "must be at least " + MIN_ADMIN_TOKEN
					+ " characters, was " + adminToken.length() + " (make one with: openssl rand -hex 32)");
		}
		if (publicUrl != null && (publicUrl.getScheme() == null || publicUrl.getHost() == null)) {
			throw new InvalidSettingException("voicebridge.public-url",
					"must be an absolute URL such as https://my-app.example.com, was " + publicUrl);
		}
	}

	/** An admin token places calls: shorter ones can be guessed. */
	public static final int MIN_ADMIN_TOKEN = 32;

	@Override
	public String toString() {
		return "BridgeProperties[publicUrl=" + Secrets.withoutUserInfo(String.valueOf(this.publicUrl)) + ", adminToken=" + (this.adminToken == null ? "unset" : "****")
				+ ", drainTimeout=" + this.drainTimeout + ", fallback=" + this.fallback + ", media=" + this.media + "]";
	}

	/**
	 * What the caller hears, and where they are dialled, when the agent fails.
	 *
	 * @param message spoken before hanging up or dialling ({@code FALLBACK_MESSAGE})
	 * @param number dialled after the message when set ({@code FALLBACK_NUMBER})
	 */
	public record Fallback(@NotBlank @DefaultValue(DEFAULT_FALLBACK) String message, String number) {

		static final String DEFAULT_FALLBACK = "Sorry, our assistant is not available right now. Please try again later.";

		public Fallback {
			number = Blank.toNull(number);
		}

	}

	/**
	 * Limits of one Twilio media stream.
	 *
	 * @param maxFrameSize largest frame accepted; larger ones close the stream with 1009.
	 * Twilio's largest message, {@code start}, is a few kilobytes
	 * @param preSessionBuffer caller audio kept while the agent connects (at least 5 s)
	 * @param sendBufferLimit outbound bytes queued to a slow Twilio socket before it is closed
	 * @param sendTimeLimit longest a close may wait behind unsent audio before the connection is
	 * aborted
	 */
	public record Media(@NotNull @DefaultValue("16KB") DataSize maxFrameSize,
			@NotNull @DefaultValue("10s") Duration preSessionBuffer,
			@NotNull @DefaultValue("1MB") DataSize sendBufferLimit,
			@NotNull @DefaultValue("5s") Duration sendTimeLimit) {

		public Media {
			if (preSessionBuffer != null && preSessionBuffer.compareTo(Duration.ofSeconds(5)) < 0) {
				throw new InvalidSettingException("voicebridge.media.pre-session-buffer",
						"must be at least 5s so early caller audio is not lost, was " + preSessionBuffer);
			}
		}

		/** Frames of 20 ms that fit in the pre-session buffer. */
		public int preSessionFrames() {
			return (int) (this.preSessionBuffer.toMillis() / 20);
		}

	}

}

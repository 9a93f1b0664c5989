package dev.voicebridge.config;

/**
 * Who may reach the endpoints Twilio calls. Signatures are checked when there is an auth token;
 * without one, an instance that spends an OpenAI key refuses the stream and the {@code <Gather>}
 * turns (each would open a paid session for whoever asks) until the operator either sets the
 * token or says {@code TWILIO_VALIDATE_SIGNATURES=false}. The echo agent spends nothing and
 * stays open for first tries.
 */
public enum SignaturePolicy {

	/** {@code TWILIO_AUTH_TOKEN} is set: every request from Twilio must be signed. */
	CHECKED,

	/** An OpenAI key and no auth token: the paid endpoints refuse until one of the two fixes. */
	REFUSING,

	/** {@code TWILIO_VALIDATE_SIGNATURES=false}: nothing is checked, on the operator's word. */
	OFF,

	/** The echo agent and no auth token: nothing is checked and nothing is spent. */
	OPEN;

	public static SignaturePolicy of(TwilioProperties twilio, boolean spendsKey) {
		if (!twilio.validateSignatures()) {
			return OFF;
		}
		if (twilio.authToken() != null) {
			return CHECKED;
		}
		return spendsKey ? REFUSING : OPEN;
	}

	/** Whether signatures are checked: the {@code signaturesChecked} flag of the status pages. */
	public boolean checks() {
		return this == CHECKED;
	}

	/** What the status pages and the start-up log say about it, or null when all is well. */
	public String warning() {
		return switch (this) {
			case REFUSING -> "OPENAI_API_KEY is set but TWILIO_AUTH_TOKEN is not: /twilio-media, /twilio/gather and "
					+ "/twilio/stream-status refuse every request (403), since anyone could otherwise spend the key. Set TWILIO_AUTH_TOKEN (the "
					+ "Twilio console's auth token), or TWILIO_VALIDATE_SIGNATURES=false to accept unsigned requests.";
			case OFF -> "TWILIO_VALIDATE_SIGNATURES=false: signatures and stream tokens are not checked, so anyone "
					+ "who finds this URL can call the webhooks and open streams on your OpenAI key. Remove it and set "
					+ "TWILIO_AUTH_TOKEN.";
			case CHECKED, OPEN -> null;
		};
	}

}

package dev.voicebridge.traditional;

/** The text upstream gave no usable reply: an HTTP error, a timeout or a malformed answer. */
class ReplyFailedException extends RuntimeException {

	ReplyFailedException(String message, Throwable cause) {
		super(message, cause);
	}

}

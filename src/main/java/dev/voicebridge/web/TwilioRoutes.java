package dev.voicebridge.web;

import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;

/** The paths Twilio calls; operators type them into the Twilio console, so they never change. */
public final class TwilioRoutes {

	public static final String VOICE = "/twilio/voice";

	public static final String STREAM_STATUS = "/twilio/stream-status";

	public static final String STREAM_ACTION = "/twilio/stream-action";

	public static final String MEDIA = "/twilio-media";

	/** The {@code <Gather>} action of traditional mode: one caller turn each. */
	public static final String GATHER = "/twilio/gather";

	private TwilioRoutes() {
	}

	/**
	 * The path a request maps to, as the handler mappings match it: each segment decoded and
	 * without its {@code ;parameters}. Matching the raw path instead would let
	 * {@code /twilio/voice;x} or {@code /twilio/%76oice} reach the handlers unchecked.
	 */
	public static String pathOf(ServerHttpRequest request) {
		StringBuilder path = new StringBuilder();
		for (PathContainer.Element element : request.getPath().pathWithinApplication().elements()) {
			path.append((element instanceof PathContainer.PathSegment segment) ? segment.valueToMatch()
					: element.value());
		}
		return path.toString();
	}

}

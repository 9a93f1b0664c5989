package dev.voicebridge.diagnostics;

import java.util.List;

import dev.voicebridge.web.TwilioRoutes;


/** The WebSocket paths whose upgrades are counted, and the tag for any other path. */
final class StreamPaths {

	static final String TEST = "/test-websocket";

	static final String OTHER = "other";

	static final List<String> TAGS = List.of(TwilioRoutes.MEDIA, TEST, OTHER);

	private StreamPaths() {
	}

	/** The bounded {@code path} tag for a request path. */
	static String tag(String path) {
		return (TwilioRoutes.MEDIA.equals(path) || TEST.equals(path)) ? path : OTHER;
	}

}

package dev.voicebridge.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One fake OpenAI Realtime server for the whole test run: reset before each test, and after each
 * every event the relay sent must have matched OpenAI's schema. Its URL is the same for every
 * class, so classes whose other settings agree share one application context, where each used
 * to start (and dirty) its own with a server of its own.
 *
 * <pre>
 * &#64;ExtendWith(SharedRealtimeUpstream.class)
 * class SomeIntegrationTests {
 *     private static final FakeRealtimeServer openai = SharedRealtimeUpstream.server();
 *     &#64;DynamicPropertySource
 *     static void upstream(DynamicPropertyRegistry registry) {
 *         registry.add("voicebridge.openai.realtime-url", openai::url);
 *     }
 * }
 * </pre>
 */
public final class SharedRealtimeUpstream implements BeforeEachCallback, AfterEachCallback {

	/** The server, started on first use; the JVM's end stops it. */
	public static FakeRealtimeServer server() {
		return Holder.SERVER;
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		server().reset();
	}

	@Override
	public void afterEach(ExtensionContext context) {
		assertThat(server().schemaViolations()).as("events the relay sent that OpenAI's schema refuses").isEmpty();
	}

	private static final class Holder {

		private static final FakeRealtimeServer SERVER = new FakeRealtimeServer();

	}

}

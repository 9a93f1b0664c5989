package dev.voicebridge.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** A receiver of call records on a random port: takes every record (204), or fails the next few (503). */
final class FakeReceiver implements AutoCloseable {

	private final MockWebServer server = new MockWebServer();

	private final BlockingQueue<RecordedRequest> requests = new LinkedBlockingQueue<>();

	private final AtomicInteger failures = new AtomicInteger();

	FakeReceiver() {
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				FakeReceiver.this.requests.add(request);
				boolean fail = FakeReceiver.this.failures.getAndUpdate((left) -> Math.max(0, left - 1)) > 0;
				return new MockResponse.Builder().code(fail ? 503 : 204).build();
			}
		});
		try {
			this.server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String url() {
		return this.server.url("/hooks/calls").toString();
	}

	/** The next {@code count} deliveries fail with 503. */
	void failNext(int count) {
		this.failures.set(count);
	}

	/** The next delivery attempt, waiting up to 10 s. */
	RecordedRequest next() throws InterruptedException {
		RecordedRequest request = this.requests.poll(10, TimeUnit.SECONDS);
		if (request == null) {
			throw new AssertionError("no call record arrived within 10 s");
		}
		return request;
	}

	@Override
	public void close() {
		this.server.close();
	}

}

package dev.voicebridge.agent;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The order of one call's events, as an agent sees it: everything an agent does for its call
 * (socket events, timers) goes through here, so it runs one at a time with the call's other
 * events and needs no locks of its own.
 */
public interface SerialEvents {

	/** Runs the task in the call's order: at once on this thread if the call is idle, else queued. */
	void execute(Runnable task);

	/**
	 * Runs {@code handler.accept(value)} in the call's order. With a handler kept in a field,
	 * nothing is allocated while the call is idle: the per-frame entry.
	 */
	<T> void submit(Consumer<T> handler, T value);

	/**
	 * Runs the task in the call's order after the delay, never on the timer's own thread; it is
	 * dropped if the call has ended by then.
	 */
	void schedule(Runnable task, Duration delay);

}

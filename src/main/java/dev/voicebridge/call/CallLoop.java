package dev.voicebridge.call;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one serial owner of a call: every event of the call (Twilio messages, agent events,
 * timers, REST results, closes) runs here, one at a time and in the order submitted, so the
 * call's state needs no locks. A task submitted while the call is idle runs at once on the
 * submitting thread (no hand-off, no allocation); one submitted while another runs is queued
 * and run by that thread when it finishes. Timers never run tasks on the shared timer thread:
 * they hand the call to the {@code offload} executor, which may block.
 */
public final class CallLoop implements Executor {

	private static final Logger log = LoggerFactory.getLogger(CallLoop.class);

	private final Queue<Task<?>> queue = new ConcurrentLinkedQueue<>();

	/** Tasks submitted and not yet finished; the thread that takes it from 0 to 1 runs them. */
	private final AtomicInteger pending = new AtomicInteger();

	private final ScheduledExecutorService timer;

	private final Executor offload;

	private final List<ScheduledFuture<?>> timers = new ArrayList<>();

	private boolean closed;

	CallLoop(ScheduledExecutorService timer, Executor offload) {
		this.timer = timer;
		this.offload = offload;
	}

	@Override
	public void execute(Runnable task) {
		submit(Task.RUN, task);
	}

	/**
	 * Runs {@code handler.accept(value)} in the loop. With a handler kept in a field, the idle
	 * path allocates nothing: this is the per-frame entry.
	 */
	public <T> void submit(Consumer<T> handler, T value) {
		if (this.pending.compareAndSet(0, 1)) {
			if (!this.queue.isEmpty()) {
				// a task queued before its count (its thread is between the two) belongs before
				// this one: another thread's task that ran on that count left it there
				this.queue.add(new Task<>(handler, value));
				drain();
				return;
			}
			run(handler, value);
			if (this.pending.decrementAndGet() != 0) {
				drain();
			}
			return;
		}
		this.queue.add(new Task<>(handler, value));
		if (this.pending.getAndIncrement() == 0) {
			drain();
		}
	}

	/**
	 * Runs the task in the loop, but never on the calling thread: for callers whose thread
	 * serves other calls too (the shared timer) and tasks that may block (closing a socket).
	 */
	public void executeElsewhere(Runnable task) {
		this.queue.add(new Task<>(Task.RUN, task));
		if (this.pending.getAndIncrement() == 0) {
			try {
				this.offload.execute(this::drain);
			}
			catch (RejectedExecutionException ex) {
				// shutting down: run it here rather than lose the call's last events
				drain();
			}
		}
	}

	/** Runs the task in the loop after a delay, unless the call ended first. */
	public void schedule(Runnable task, long delay, TimeUnit unit) {
		Runnable fire = () -> executeElsewhere(() -> {
			if (!this.closed) {
				task.run();
			}
		});
		try {
			ScheduledFuture<?> future = this.timer.schedule(fire, delay, unit);
			synchronized (this.timers) {
				this.timers.removeIf(ScheduledFuture::isDone);
				this.timers.add(future);
			}
		}
		catch (RejectedExecutionException ex) {
			log.debug("[Stream] timer not set: shutting down");
		}
	}

	/**
	 * Called in the loop when the call has ended: its timers are cancelled so nothing of the
	 * call stays reachable from the shared timer; tasks already queued still run.
	 */
	void close() {
		this.closed = true;
		synchronized (this.timers) {
			for (ScheduledFuture<?> future : this.timers) {
				future.cancel(false);
			}
			this.timers.clear();
		}
	}

	/**
	 * Runs queued tasks while any are counted. Every count is preceded by its task's enqueue,
	 * so a counted task is always there to poll.
	 */
	private void drain() {
		do {
			this.queue.poll().run();
		}
		while (this.pending.decrementAndGet() != 0);
	}

	private static <T> void run(Consumer<T> handler, T value) {
		try {
			handler.accept(value);
		}
		catch (RuntimeException | Error ex) {
			// a fault in one event must not stop the call's later events, nor the thread's other work
			log.error("[Stream] an event of a call failed", ex);
		}
	}

	private record Task<T>(Consumer<T> handler, T value) {

		static final Consumer<Runnable> RUN = Runnable::run;

		void run() {
			CallLoop.run(this.handler, this.value);
		}

	}

}

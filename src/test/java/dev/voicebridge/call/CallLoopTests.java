package dev.voicebridge.call;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The serial owner of a call: one task at a time, in the order each thread submitted them, on
 * the submitting thread when idle, never on the timer's thread, nothing lost to a throwing task,
 * and no timer of an ended call left behind.
 */
class CallLoopTests {

	private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);

	private final ExecutorService offload = Executors.newCachedThreadPool((task) -> new Thread(task, "offload"));

	private final CallLoop loop = new CallLoop(this.timer, this.offload);

	@AfterEach
	void stop() {
		this.timer.shutdownNow();
		this.offload.shutdownNow();
	}

	@Test
	void anIdleLoopRunsTheTaskAtOnceOnTheSubmittingThread() {
		AtomicReference<Thread> ranOn = new AtomicReference<>();
		this.loop.submit(ranOn::set, Thread.currentThread());
		assertThat(ranOn.get()).isSameAs(Thread.currentThread());
	}

	@Test
	void tasksFromManyThreadsRunOneAtATimeAndInEachThreadsOrder() throws Exception {
		int threads = 4;
		int perThread = 50_000;
		AtomicBoolean inside = new AtomicBoolean();
		AtomicBoolean overlapped = new AtomicBoolean();
		int[] last = new int[threads];
		boolean[] outOfOrder = new boolean[1];
		long[] count = new long[1];
		CountDownLatch go = new CountDownLatch(1);
		List<Thread> submitters = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int thread = t;
			Thread submitter = new Thread(() -> {
				try {
					go.await();
				}
				catch (InterruptedException ex) {
					return;
				}
				for (int i = 1; i <= perThread; i++) {
					int n = i;
					this.loop.execute(() -> {
						if (!inside.compareAndSet(false, true)) {
							overlapped.set(true);
						}
						// plain fields: safe only because the loop runs one task at a time
						outOfOrder[0] |= last[thread] != n - 1;
						last[thread] = n;
						count[0]++;
						inside.set(false);
					});
				}
			});
			submitter.start();
			submitters.add(submitter);
		}
		go.countDown();
		for (Thread submitter : submitters) {
			submitter.join(30_000);
		}
		CountDownLatch drained = new CountDownLatch(1);
		this.loop.execute(drained::countDown);
		assertThat(drained.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(overlapped).isFalse();
		assertThat(outOfOrder[0]).isFalse();
		assertThat(count[0]).isEqualTo((long) threads * perThread);
	}

	@Test
	void aTaskThatThrowsDoesNotStopTheTasksAfterIt() {
		List<String> ran = new ArrayList<>();
		this.loop.execute(() -> {
			this.loop.execute(() -> ran.add("queued behind the failure"));
			throw new IllegalStateException("a bug in one event");
		});
		this.loop.execute(() -> ran.add("later"));
		assertThat(ran).containsExactly("queued behind the failure", "later");
	}

	@Test
	void aTaskSubmittedFromATaskRunsAfterItNotInsideIt() {
		List<String> ran = new ArrayList<>();
		this.loop.execute(() -> {
			this.loop.execute(() -> ran.add("inner"));
			ran.add("outer done");
		});
		assertThat(ran).containsExactly("outer done", "inner");
	}

	@Test
	void timersRunInTheLoopOffTheTimersThread() throws Exception {
		AtomicReference<String> ranOn = new AtomicReference<>();
		CountDownLatch ran = new CountDownLatch(1);
		this.loop.schedule(() -> {
			ranOn.set(Thread.currentThread().getName());
			ran.countDown();
		}, 1, TimeUnit.MILLISECONDS);
		assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(ranOn.get()).isEqualTo("offload");
	}

	@Test
	void closingTheLoopCancelsItsTimersSoNoEndedCallStaysOnTheTimer() {
		this.timer.setRemoveOnCancelPolicy(true);
		this.loop.schedule(() -> {
		}, 1, TimeUnit.HOURS);
		this.loop.schedule(() -> {
		}, 2, TimeUnit.HOURS);
		assertThat(this.timer.getQueue()).hasSize(2);
		this.loop.execute(this.loop::close);
		assertThat(this.timer.getQueue()).isEmpty();
	}

	@Test
	void executeElsewhereNeverRunsOnTheCallingThread() throws Exception {
		AtomicReference<Thread> ranOn = new AtomicReference<>();
		CountDownLatch ran = new CountDownLatch(1);
		this.loop.executeElsewhere(() -> {
			ranOn.set(Thread.currentThread());
			ran.countDown();
		});
		assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(ranOn.get()).isNotSameAs(Thread.currentThread());
	}

}

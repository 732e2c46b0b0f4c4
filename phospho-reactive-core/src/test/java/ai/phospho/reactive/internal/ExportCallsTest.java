package ai.phospho.reactive.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.TestSupport;
import ai.phospho.reactive.export.ExportListener;
import ai.phospho.reactive.export.ExportResult;
import ai.phospho.reactive.export.TaskExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.util.RaceTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch cut ahead ({@link ExportCalls#start} while every slot is taken) waits, the export that
 * ends first starts it from its own thread before its own end is reported, never more exports run
 * than the slots, and a cancel leaves it unstarted. Real ExportCalls, real schedulers and threads; the
 * exporter holds each export until the test ends it.
 */
class ExportCallsTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final Scheduler timer = Schedulers.newSingle("test-timer");

	@AfterEach
	void tearDown() {
		timer.dispose();
	}

	/** Each export stays open until {@link #end} ends it; records the order of what happens, and how many run at once. */
	static final class Held implements TaskExporter {
		final Map<String, MonoSink<ExportResult>> open = new ConcurrentHashMap<>();
		final Queue<String> events = new ConcurrentLinkedQueue<>();
		final AtomicInteger running = new AtomicInteger();
		final AtomicInteger maxRunning = new AtomicInteger();

		@Override
		public Mono<ExportResult> export(List<LoggedTask> batch) {
			String name = (String) batch.get(0).input();
			return Mono.create(sink -> {
				int now = running.incrementAndGet();
				maxRunning.accumulateAndGet(now, Math::max);
				// Open before it is seen: a test that sees the event may end it at once.
				open.put(name, sink);
				events.add("export " + name);
			});
		}

		/** Ends an export: it no longer runs from the moment its Mono signals. */
		void end(String name) {
			MonoSink<ExportResult> sink = open.remove(name);
			assertThat(sink).as("export of %s is open", name).isNotNull();
			running.decrementAndGet();
			sink.success(ExportResult.accepted(1));
		}
	}

	private static Batch batch(String name) {
		return new Batch(List.of(TestSupport.task(name, "a")), 1);
	}

	private static void await(CountDownLatch latch) throws InterruptedException {
		assertThat(latch.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
	}

	private static void awaitEvents(Held exporter, int n) {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (exporter.events.size() < n && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		assertThat(exporter.events).hasSizeGreaterThanOrEqualTo(n);
	}

	@Test
	void theBatchWaitingStartsWhenAnExportEndsBeforeThatEndIsReported() throws InterruptedException {
		Held exporter = new Held();
		ExportCalls calls = new ExportCalls(exporter, ExportListener.NONE, Duration.ofMinutes(1));
		CountDownLatch ended = new CountDownLatch(3);
		Consumer<Batch> done = b -> {
			exporter.events.add("done " + b.tasks.get(0).input());
			ended.countDown();
		};
		calls.start(batch("1"), 2, timer, done);
		calls.start(batch("2"), 2, timer, done);
		awaitEvents(exporter, 2);

		calls.start(batch("3"), 2, timer, done);
		// Both slots are taken: the third waits, and is not an export in flight.
		Thread.sleep(50);
		assertThat(exporter.events).containsExactlyInAnyOrder("export 1", "export 2");
		assertThat(calls.running()).isEqualTo(2);

		exporter.end("1");
		awaitEvents(exporter, 4);
		// On this exporter's path (it may block: its own thread) the launch is scheduled before "done 1".
		exporter.end("2");
		awaitEvents(exporter, 5);
		exporter.end("3");
		await(ended);
		assertThat(exporter.maxRunning.get()).isEqualTo(2);
		assertThat(calls.running()).isZero();
		assertThat(exporter.events).containsSubsequence("export 1", "export 2", "export 3");
		calls.dispose();
	}

	/**
	 * The library's own HTTP exporter is called where the export starts: the batch waiting is
	 * subscribed to by the thread that ends the export before it, before that end is reported.
	 */
	@Test
	void withoutAThreadHopTheWaitingBatchIsSubscribedBeforeTheEndBeforeItIsReported() throws InterruptedException {
		Held held = new Held();
		// As for PhosphoHttpExporter, which PhosphoApi knows: called without the hop to the export-call thread.
		ExportCalls calls = new ExportCalls(held, ExportListener.NONE, Duration.ofMinutes(1), true);
		List<String> threads = new CopyOnWriteArrayList<>();
		CountDownLatch ended = new CountDownLatch(2);
		Consumer<Batch> done = b -> {
			held.events.add("done " + b.tasks.get(0).input());
			threads.add(Thread.currentThread().getName());
			ended.countDown();
		};
		calls.start(batch("1"), 1, timer, done);
		calls.start(batch("2"), 1, timer, done);
		assertThat(held.events).containsExactly("export 1");

		Thread ender = new Thread(() -> held.end("1"), "ender");
		ender.start();
		ender.join();
		// Synchronously, on the ender's thread: export 2 before done 1.
		assertThat(held.events).containsExactly("export 1", "export 2", "done 1");
		assertThat(threads).containsExactly("ender");
		held.end("2");
		await(ended);
		calls.dispose();
	}

	@Test
	void aBatchGivenASlotThatIsFreeStartsAtOnce() throws InterruptedException {
		Held exporter = new Held();
		ExportCalls calls = new ExportCalls(exporter, ExportListener.NONE, Duration.ofMinutes(1));
		CountDownLatch ended = new CountDownLatch(1);
		calls.start(batch("1"), 2, timer, b -> ended.countDown());
		awaitEvents(exporter, 1);
		assertThat(calls.running()).isEqualTo(1);
		exporter.end("1");
		await(ended);
		calls.dispose();
	}

	/**
	 * An exporter called without a hop that ends each export inside its own subscription, and one
	 * that throws, with one slot and 10,000 batches given while the first runs: each ending starts the
	 * next from inside the drain that launched it, which must queue it rather than recurse. Every batch
	 * ends once, in order, and nothing is left running.
	 */
	@Test
	void exportsEndingInsideTheirOwnLaunchStartTheRestInOrderWithoutRecursing() throws InterruptedException {
		List<String> order = new CopyOnWriteArrayList<>();
		CountDownLatch first = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		TaskExporter synchronous = batch -> {
			String name = (String) batch.get(0).input();
			order.add(name);
			if (name.equals("0")) {
				first.countDown();
				return Mono.fromCallable(() -> {
					release.await();
					return ExportResult.accepted(1);
				}).subscribeOn(Schedulers.boundedElastic());
			}
			if (Integer.parseInt(name) % 100 == 7) {
				throw new IllegalStateException("exporter " + name);
			}
			return Mono.just(ExportResult.accepted(1));
		};
		ExportCalls calls = new ExportCalls(synchronous, ExportListener.NONE, Duration.ofMinutes(1), true);
		int n = 10_000;
		CountDownLatch ended = new CountDownLatch(n);
		AtomicInteger failed = new AtomicInteger();
		Consumer<Batch> done = b -> {
			if (b.failed) {
				failed.incrementAndGet();
			}
			ended.countDown();
		};
		calls.start(batch("0"), 1, timer, done);
		await(first);
		for (int i = 1; i < n; i++) {
			calls.start(batch(String.valueOf(i)), 1, timer, done);
		}
		assertThat(order).containsExactly("0");
		release.countDown();
		await(ended);
		assertThat(order).hasSize(n);
		for (int i = 0; i < n; i++) {
			assertThat(order.get(i)).isEqualTo(String.valueOf(i));
		}
		assertThat(failed).hasValue(n / 100);
		assertThat(calls.running()).isZero();
		calls.dispose();
	}

	/** Two batches waiting for the one slot start one after the other, in the order given. */
	@Test
	void batchesWaitingStartInTheOrderGivenAsSlotsFree() throws InterruptedException {
		Held exporter = new Held();
		ExportCalls calls = new ExportCalls(exporter, ExportListener.NONE, Duration.ofMinutes(1));
		CountDownLatch ended = new CountDownLatch(3);
		calls.start(batch("1"), 1, timer, b -> ended.countDown());
		calls.start(batch("2"), 1, timer, b -> ended.countDown());
		calls.start(batch("3"), 1, timer, b -> ended.countDown());
		awaitEvents(exporter, 1);
		Thread.sleep(50);
		assertThat(exporter.events).containsExactly("export 1");
		exporter.end("1");
		awaitEvents(exporter, 2);
		Thread.sleep(50);
		assertThat(exporter.events).containsExactly("export 1", "export 2");
		exporter.end("2");
		awaitEvents(exporter, 3);
		exporter.end("3");
		await(ended);
		assertThat(exporter.events).containsExactly("export 1", "export 2", "export 3");
		assertThat(exporter.maxRunning.get()).isEqualTo(1);
		assertThat(calls.running()).isZero();
		calls.dispose();
	}

	@Test
	void aCancelLeavesTheWaitingBatchUnstartedAndNothingRunning() throws InterruptedException {
		Held exporter = new Held();
		ExportCalls calls = new ExportCalls(exporter, ExportListener.NONE, Duration.ofMinutes(1));
		List<Batch> ended = new CopyOnWriteArrayList<>();
		calls.start(batch("1"), 1, timer, ended::add);
		calls.start(batch("2"), 1, timer, ended::add);
		awaitEvents(exporter, 1);

		calls.cancelAll();
		assertThat(calls.running()).isZero();
		// An export that ends after the cancel (its exporter ignored the cancel) starts nothing.
		if (exporter.open.containsKey("1")) {
			exporter.end("1");
		}
		Thread.sleep(50);
		assertThat(exporter.events).containsExactly("export 1");
		assertThat(calls.running()).isZero();
		calls.dispose();
	}

	/**
	 * Exports ending on two threads at once while a batch waits: it starts exactly once, and never
	 * more than the slots run (1,000 rounds).
	 */
	@Test
	void exportsEndingAtOnceStartTheWaitingBatchExactlyOnce() throws InterruptedException {
		for (int round = 0; round < 1_000; round++) {
			Held exporter = new Held();
			ExportCalls calls = new ExportCalls(exporter, ExportListener.NONE, Duration.ofMinutes(1));
			CountDownLatch ended = new CountDownLatch(3);
			List<String> doneOrder = new ArrayList<>();
			Consumer<Batch> done = b -> {
				synchronized (doneOrder) {
					doneOrder.add((String) b.tasks.get(0).input());
				}
				ended.countDown();
			};
			calls.start(batch("a"), 2, timer, done);
			calls.start(batch("b"), 2, timer, done);
			awaitEvents(exporter, 2);
			calls.start(batch("c"), 2, timer, done);
			RaceTestUtils.race(() -> exporter.end("a"), () -> exporter.end("b"));
			awaitEvents(exporter, 3);
			assertThat(exporter.events).filteredOn(e -> e.equals("export c")).hasSize(1);
			assertThat(exporter.maxRunning.get()).isLessThanOrEqualTo(2);
			exporter.end("c");
			await(ended);
			assertThat(doneOrder).containsExactlyInAnyOrder("a", "b", "c");
			assertThat(calls.running()).isZero();
			calls.dispose();
		}
	}

	/**
	 * The export that ends hands its slot to the batch waiting (C) in one step, then calls the
	 * exporter; in between, a second export ending frees a slot, and the worker's next batch (D)
	 * takes it. D must not meet the exporter before C, which was cut before it. The thread handing C
	 * over is held where it subscribes C's timeout (a scheduler slow to accept a task, as a thread
	 * preempted there is), until D was called or a second went by.
	 */
	@Test
	void aBatchCutAfterTheOneWaitingNeverMeetsTheExporterBeforeIt() throws InterruptedException {
		Held held = new Held();
		ExportCalls calls = new ExportCalls(held, ExportListener.NONE, Duration.ofMinutes(1), true);
		CountDownLatch handing = new CountDownLatch(1);
		CountDownLatch dCalled = new CountDownLatch(1);
		Scheduler slowTimer = new Scheduler() {
			@Override
			public Disposable schedule(Runnable task) {
				return timer.schedule(task);
			}

			@Override
			public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
				handing.countDown();
				try {
					dCalled.await(1, TimeUnit.SECONDS);
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
				return timer.schedule(task, delay, unit);
			}

			@Override
			public Worker createWorker() {
				return timer.createWorker();
			}
		};
		CountDownLatch ended = new CountDownLatch(4);
		Consumer<Batch> done = b -> ended.countDown();
		calls.start(batch("A"), 2, timer, done);
		calls.start(batch("B"), 2, timer, done);
		calls.start(batch("C"), 2, slowTimer, done);
		assertThat(held.events).containsExactly("export A", "export B");

		Thread ender = new Thread(() -> held.end("A"), "ender-of-A");
		ender.start();
		await(handing);
		// B ends; the worker, told, cuts D (every batch it counts is C's or D's), as in its drain.
		held.end("B");
		calls.start(batch("D"), 2, timer, done);
		if (held.events.contains("export D")) {
			dCalled.countDown();
		}
		ender.join();
		awaitEvents(held, 4);
		assertThat(held.events).containsSubsequence("export C", "export D");
		held.end("C");
		held.end("D");
		await(ended);
		assertThat(calls.running()).isZero();
		calls.dispose();
	}
}

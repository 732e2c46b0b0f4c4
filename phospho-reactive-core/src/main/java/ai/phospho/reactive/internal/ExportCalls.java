package ai.phospho.reactive.internal;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.export.ExportListener;
import ai.phospho.reactive.export.ExportResult;
import ai.phospho.reactive.export.TaskExporter;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Where batches meet the exporter, in the order they were cut, no more at once than the caller's
 * slots: on a thread of its own, {@code phospho-export-call}, never on the worker, so that an exporter
 * that blocks, against its contract, holds neither the worker nor the shutdown timeout. The library's own HTTP exporter, whose
 * {@code export} only assembles a Reactor Netty request, is subscribed to where the export starts,
 * without that hop.
 *
 * <p>A batch may wait here for a slot ({@link #start}): the worker cuts one while every slot is
 * taken, and the first export to end launches it from its own thread, as OkHttp's dispatcher promotes
 * a waiting call when one finishes. A slot is then not idle while the worker's thread wakes up (on a
 * busy machine, about 150 microseconds, against 2 ms for a batch of 512 tasks on loopback).
 *
 * <p>Whatever the exporter does (throws, even a {@code LinkageError}; returns {@code null}; signals
 * twice; never signals), each export ends exactly once: an export still running after
 * {@code exportTimeout} is cancelled (its pending retries with it) and fails with a
 * {@link TimeoutException}, so that it cannot hold an export slot forever.
 */
final class ExportCalls {

	private final TaskExporter exporter;
	private final ExportListener listener;
	private final Duration timeout;
	private final Scheduler thread = Schedulers.newSingle("phospho-export-call", true);
	/** The subscriptions of the exports in flight, cancelled when shutdown times out. */
	private final Disposable.Composite running = Disposables.composite();
	/** Whether the exporter's {@code export} and subscription never block: it is called without a thread hop. */
	private final boolean nonBlocking;
	/**
	 * Batches given to {@link #start} and not launched yet, in the order they were cut: launched, by
	 * whichever thread runs {@link #drain}, while fewer than their {@code slots} exports run.
	 */
	private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
	/** Exports launched and not yet ended; raised only by {@link #drain}. */
	private final AtomicInteger launched = new AtomicInteger();
	/** The work counter of {@link #drain}: one thread launches at a time (the queue-drain pattern of reactor-core). */
	private final AtomicInteger wip = new AtomicInteger();
	/** Set by {@link #cancelAll}: nothing is launched any more. */
	private volatile boolean cancelled;

	private record Pending(Batch batch, int slots, Scheduler timer, Consumer<Batch> done) {
	}

	/** Made where the client is made: the library's HTTP exporter is warmed up here ({@link PhosphoApi#warmUp}). */
	ExportCalls(TaskExporter exporter, ExportListener listener, Duration timeout) {
		this(exporter, listener, timeout, warmedUp(PhosphoApi.of(exporter)));
	}

	/** Whether {@code api} is there (the exporter is the library's HTTP exporter), warmed up. */
	private static boolean warmedUp(@Nullable PhosphoApi api) {
		if (api == null) {
			return false;
		}
		api.warmUp();
		return true;
	}

	/** {@code nonBlocking}: the exporter is called where the export starts, without a thread hop. */
	ExportCalls(TaskExporter exporter, ExportListener listener, Duration timeout, boolean nonBlocking) {
		this.exporter = exporter;
		this.listener = listener;
		this.timeout = timeout;
		this.nonBlocking = nonBlocking;
	}

	/**
	 * Starts the export of {@code b} once fewer than {@code slots} exports run: at once if that is so
	 * now, else from the thread of the first export to end, before that end is reported (a batch the
	 * worker cut while every slot was taken). Batches meet the exporter in the order given here: the
	 * callers give them one at a time, in the order they were cut. Its terminal signal goes to
	 * {@code done} once, from whichever thread it arrives on. The timeout is measured on {@code timer}
	 * (the worker), where the cancellation of a stuck export then runs. A batch still waiting when
	 * {@link #cancelAll} runs is never started.
	 */
	void start(Batch b, int slots, Scheduler timer, Consumer<Batch> done) {
		pending.offer(new Pending(b, slots, timer, done));
		drain();
	}

	/** Exports started and not yet ended: a batch waiting for a slot is not one. */
	int running() {
		return launched.get();
	}

	/**
	 * Launches the batches waiting, in order, while slots are free. An export that ends lowers
	 * {@link #launched} and then drains, so a slot freed while another thread drains is seen by it (its
	 * loop runs again); an export that completes inside its own launch only queues its turn here.
	 */
	private void drain() {
		if (wip.getAndIncrement() != 0) {
			return;
		}
		int missed = 1;
		Throwable failure = null;
		for (;;) {
			Pending p;
			while ((p = pending.peek()) != null) {
				if (cancelled) {
					pending.clear();
					break;
				}
				if (launched.get() >= p.slots()) {
					break;
				}
				pending.poll();
				launched.incrementAndGet();
				try {
					launch(p.batch(), p.timer(), p.done());
				}
				catch (Throwable e) {
					// From a done callback (an out-of-memory): the batches after it are launched all the same.
					failure = failure == null ? e : failure;
				}
			}
			missed = wip.addAndGet(-missed);
			if (missed == 0) {
				break;
			}
		}
		if (failure instanceof RuntimeException e) {
			throw e;
		}
		if (failure instanceof Error e) {
			throw e;
		}
	}

	/** Subscribes to the export of {@code b}, its slot already counted in {@link #launched}. */
	private void launch(Batch b, Scheduler timer, Consumer<Batch> done) {
		try {
			Mono<ExportResult> export = Mono.defer(() -> call(b.tasks));
			if (!nonBlocking) {
				export = export.subscribeOn(thread);
			}
			Disposable d = export
					.timeout(timeout, Mono.error(() -> timedOut(b)), timer)
					.subscribe(r -> b.result = r, e -> complete(b, e, done), () -> complete(b, null, done));
			b.subscription = d;
			if (!running.add(d)) {
				// Shutdown already cancelled everything in flight: this export never ends, nor holds a slot.
				d.dispose();
				if (!b.completed.get()) {
					launched.updateAndGet(n -> Math.max(0, n - 1));
				}
			}
			else if (b.completed.get()) {
				// It completed before subscribe returned: complete() could not see the subscription.
				running.remove(d);
			}
		}
		catch (Throwable e) {
			// subscribe itself threw (a scheduler that is gone, an out-of-memory): the batch failed.
			complete(b, e, done);
		}
	}

	private TimeoutException timedOut(Batch b) {
		return new TimeoutException("the export of " + b.tasks.size() + " tasks did not complete within exportTimeout ("
				+ timeout + "); it was cancelled");
	}

	/** The exporter's Mono; what it throws (even a {@code LinkageError}, which reactor treats as fatal) as an error. */
	private Mono<ExportResult> call(List<LoggedTask> tasks) {
		Mono<ExportResult> export;
		try {
			export = exporter.export(tasks, listener);
		}
		catch (Throwable e) {
			Failures.throwIfFatal(e);
			return Mono.error(e);
		}
		if (export == null) {
			return Mono.error(new NullPointerException(exporter.getClass().getName() + ".export returned null"));
		}
		return export;
	}

	private void complete(Batch b, @Nullable Throwable error, Consumer<Batch> done) {
		if (!b.completed.compareAndSet(false, true)) {
			return;
		}
		Disposable d = b.subscription;
		if (d != null) {
			running.remove(d);
		}
		b.error = error;
		b.failed = error != null;
		// At 0 already when everything was cancelled and an export ended all the same.
		launched.updateAndGet(n -> Math.max(0, n - 1));
		try {
			// The batch waiting for a slot starts before this one's end is reported: the worker's thread,
			// which records it and cuts the next, is not on the way.
			drain();
		}
		finally {
			done.accept(b);
		}
	}

	/** Cancels every export in flight, and any started later; the batch waiting for a slot is never started. */
	void cancelAll() {
		cancelled = true;
		pending.clear();
		running.dispose();
		// What was cancelled never ends: no export runs from now on.
		launched.set(0);
	}

	/** The exporter's own shutdown, on its thread; a failure is reported and ends it. */
	Mono<Void> shutdownExporter() {
		return Mono.defer(() -> Mono.fromDirect(exporter.shutdown()))
				.subscribeOn(thread)
				.onErrorResume(e -> {
					Reports.warn(ExportStats.LOG, "phospho: exporter shutdown failed: {}", Failures.describe(e));
					return Mono.empty();
				});
	}

	void dispose() {
		OwnSchedulers.dispose(thread);
	}
}

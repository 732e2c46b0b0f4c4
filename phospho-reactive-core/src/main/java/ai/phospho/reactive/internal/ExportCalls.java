package ai.phospho.reactive.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * Where batches meet the exporter, in the order they were cut: on a thread of its own,
 * {@code phospho-export-call}, never on the worker, so that an exporter that blocks, against its
 * contract, holds neither the worker nor the shutdown timeout. The library's own HTTP exporter, whose
 * {@code export} only assembles a Reactor Netty request, is subscribed to where the export starts,
 * without that hop.
 *
 * <p>One batch may wait here for a slot ({@link #startNext}): the worker cuts it while every slot is
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

	private static final VarHandle SLOTS;

	static {
		try {
			SLOTS = MethodHandles.lookup().findVarHandle(ExportCalls.class, "slots", Slots.class);
		}
		catch (ReflectiveOperationException e) {
			throw new ExceptionInInitializerError(e);
		}
	}

	private final TaskExporter exporter;
	private final ExportListener listener;
	private final Duration timeout;
	private final Scheduler thread = Schedulers.newSingle("phospho-export-call", true);
	/** The subscriptions of the exports in flight, cancelled when shutdown times out. */
	private final Disposable.Composite running = Disposables.composite();
	/** Whether the exporter's {@code export} and subscription never block: it is called without a thread hop. */
	private final boolean nonBlocking;
	/**
	 * Exports launched and not yet ended, and the batch waiting for a slot: one value, changed by
	 * compare-and-set, so that a batch waits only while every slot is taken, and an export that ends
	 * hands its slot to the one waiting in the same step.
	 */
	private volatile Slots slots = new Slots(0, null);
	/** Set by {@link #cancelAll}: nothing is launched any more. */
	private volatile boolean cancelled;
	/**
	 * The number the next batch given to {@link #start} or {@link #startNext} takes: they are called
	 * by one thread at a time (the worker's, or the spool's), in the order the batches were cut.
	 */
	private long cut;
	/**
	 * Batches given their slot, by number, until {@link #launchInOrder} launches them: a slot is taken
	 * by compare-and-set before the exporter is called, and a batch that takes one after another must
	 * not meet the exporter before it (an export ending hands its slot to the batch waiting, and,
	 * before it calls the exporter, a second one ending frees a slot for the next batch).
	 */
	private final Map<Long, Waiting> ready = new ConcurrentHashMap<>();
	/** Threads in {@link #launchInOrder}: the one that took it from 0 launches for them all. */
	private final AtomicInteger launching = new AtomicInteger();
	/** The number of the next batch to launch; only under {@link #launching}. */
	private long nextLaunch;

	private record Waiting(long seq, Batch batch, Scheduler timer, Consumer<Batch> done) {
	}

	private record Slots(int launched, @Nullable Waiting waiting) {
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
	 * Starts the export of {@code b}; its terminal signal goes to {@code done} once, from whichever
	 * thread it arrives on. The timeout is measured on {@code timer} (the worker), where the
	 * cancellation of a stuck export then runs.
	 */
	void start(Batch b, Scheduler timer, Consumer<Batch> done) {
		Waiting l = new Waiting(cut++, b, timer, done);
		for (;;) {
			Slots now = slots;
			if (SLOTS.compareAndSet(this, now, new Slots(now.launched() + 1, now.waiting()))) {
				break;
			}
		}
		launchInOrder(l);
	}

	/**
	 * Starts the export of {@code b} once fewer than {@code max} exports are running: at once if that
	 * is so now, else from the thread of the first export to end, which hands it its slot. At most one
	 * batch waits: the caller counts its batches, the one waiting included, and never has more than
	 * {@code max + 1}, so that one is waiting only while {@code max} run. A batch still waiting when
	 * {@link #cancelAll} runs is never started.
	 *
	 * @throws IllegalStateException if a batch is waiting already
	 */
	void startNext(Batch b, int max, Scheduler timer, Consumer<Batch> done) {
		Waiting w = new Waiting(cut, b, timer, done);
		for (;;) {
			Slots now = slots;
			if (now.waiting() != null) {
				throw new IllegalStateException("a batch is already waiting for a slot");
			}
			boolean free = now.launched() < max;
			if (SLOTS.compareAndSet(this, now, free ? new Slots(now.launched() + 1, null) : new Slots(now.launched(), w))) {
				cut++;
				if (free) {
					launchInOrder(w);
				}
				return;
			}
		}
	}

	/** Exports started and not yet ended: the batch waiting for a slot is not one. */
	int running() {
		return slots.launched();
	}

	/** An export ended: its slot goes to the batch waiting, if any, which is launched from this thread. */
	private void release() {
		for (;;) {
			Slots now = slots;
			Waiting w = now.waiting();
			if (w == null || cancelled) {
				// At 0 already when everything was cancelled and an export ended all the same.
				if (SLOTS.compareAndSet(this, now, new Slots(Math.max(0, now.launched() - 1), null))) {
					return;
				}
			}
			else if (SLOTS.compareAndSet(this, now, new Slots(now.launched(), null))) {
				launchInOrder(w);
				return;
			}
		}
	}

	/**
	 * Launches {@code w}, its slot counted, once every batch numbered before it is launched: from this
	 * thread, or from the one launching already (the queue-drain pattern of reactor-core), which then
	 * launches what follows too. A batch's number is taken with its slot's count in one step as far as
	 * its caller goes, but what takes a slot may reach here later than what took one after it.
	 */
	private void launchInOrder(Waiting w) {
		ready.put(w.seq(), w);
		if (launching.getAndIncrement() != 0) {
			return;
		}
		int missed = 1;
		Throwable failure = null;
		for (;;) {
			Waiting next;
			while ((next = ready.remove(nextLaunch)) != null) {
				nextLaunch++;
				try {
					launch(next.batch(), next.timer(), next.done());
				}
				catch (Throwable e) {
					// From a done callback (an out-of-memory): the batches after it are launched all the same.
					failure = failure == null ? e : failure;
				}
			}
			missed = launching.addAndGet(-missed);
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

	/** Subscribes to the export of {@code b}, its slot already counted in {@link #slots}. */
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
				// Shutdown already cancelled everything in flight.
				d.dispose();
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
		try {
			// The batch waiting for a slot starts before this one's end is reported: the worker's thread,
			// which records it and cuts the next, is not on the way.
			release();
		}
		finally {
			done.accept(b);
		}
	}

	/** Cancels every export in flight, and any started later; the batch waiting for a slot is never started. */
	void cancelAll() {
		cancelled = true;
		running.dispose();
		// What was cancelled never ends: no export runs from now on.
		slots = new Slots(0, null);
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

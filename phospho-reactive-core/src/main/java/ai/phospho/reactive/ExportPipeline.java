package ai.phospho.reactive;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.Logger;
import reactor.util.Loggers;
import reactor.util.context.Context;

/**
 * The bounded export pipeline: callers {@link #offer} finished tasks from any thread, lock-free and
 * in O(1); one worker cuts them into batches (by count, bytes and linger delay) and hands each to
 * the {@link TaskExporter}, at most {@code maxConcurrentExports} at a time.
 *
 * <p>The bound counts every task held: queued or in a batch being exported (retries included). A
 * task offered beyond it is dropped and counted, with at most one warning per
 * {@link #WARN_INTERVAL_NANOS}: the new task ({@code DROP_NEWEST}), or with {@code DROP_OLDEST} the
 * head of the queue, which the producer takes with one lock-free {@code poll} (O(1)) and replaces by
 * the new task, so the count held does not change; when nothing is left in the queue (every held
 * task is in flight), the new task is dropped instead. Producers reserve their place with a CAS loop
 * on the count held (lock-free, no allocation), so the count never exceeds the bound, even briefly.
 *
 * <p>On a shutdown timeout the exports still running are cancelled (their pending retries with
 * them) and every task still held is counted as dropped and named in the warning.
 *
 * <p>All worker state is touched only inside {@link #drainLoop()}, which the work-in-progress
 * counter {@link #wip} keeps to one thread at a time (the queue-drain pattern of reactor-core).
 */
final class ExportPipeline {

	private static final Logger LOG = Loggers.getLogger("ai.phospho.reactive.export");
	static final long WARN_INTERVAL_NANOS = Duration.ofSeconds(30).toNanos();

	private final TaskExporter exporter;
	private final int maxQueueSize;
	private final int maxBatchSize;
	private final long maxBatchBytes;
	private final int maxConcurrent;
	private final boolean dropOldest;
	/** Built once: a full queue must not cost a string per dropped task. */
	private final String fullReason;
	private final String fullOldestReason;

	private final Queue<LoggedTask> queue = new ConcurrentLinkedQueue<>();
	/** Tasks held: queued, or in a batch being exported. */
	private final AtomicInteger held = new AtomicInteger();
	private final AtomicInteger wip = new AtomicInteger();
	private final Queue<Batch> completions = new ConcurrentLinkedQueue<>();
	private final Queue<MonoSink<Void>> newWaiters = new ConcurrentLinkedQueue<>();
	private final Scheduler worker;
	private final Disposable ticker;

	private final LongAdder dropped = new LongAdder();
	private final LongAdder retried = new LongAdder();
	/** The subscriptions of the exports in flight, cancelled when shutdown times out. */
	private final Disposable.Composite running = Disposables.composite();
	private final ExportListener listener = new ExportListener() {
		@Override
		public void retrying(String reason) {
			retried.increment();
			lastError = reason;
		}

		@Override
		public void failed(String reason) {
			lastError = reason;
		}
	};
	private final AtomicLong lastDropWarning = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);
	private final AtomicLong lastFailureWarning = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);

	private volatile boolean closed;
	/** Set on shutdown timeout: nothing more is exported. */
	private volatile boolean abandoned;
	private volatile boolean tick;
	/** Whether every export slot is taken: producers then need not wake the worker. */
	private volatile boolean saturated;
	private volatile int inFlight;
	private volatile int inFlightTasks;
	private volatile long exported;
	private volatile long failed;
	private volatile long rejected;
	private volatile long batches;
	private volatile long bytes;
	private volatile @Nullable String lastError;

	// Worker-only state.
	private long polled;
	private long forceUntil;
	private long completedPrefix;
	private boolean retryScheduled;
	/** A task polled from the queue that did not fit in the last batch; it opens the next one. */
	private @Nullable LoggedTask carry;
	private final ArrayDeque<Batch> started = new ArrayDeque<>();
	private final List<Waiter> waiters = new ArrayList<>();

	private final Mono<Void> shutdownMono;

	ExportPipeline(TaskExporter exporter, PhosphoOptions options) {
		this.exporter = exporter;
		this.maxQueueSize = options.maxQueueSize();
		this.maxBatchSize = options.maxBatchSize();
		this.maxBatchBytes = options.maxBatchBytes();
		this.maxConcurrent = options.maxConcurrentExports();
		this.dropOldest = options.overflowPolicy() == PhosphoOptions.OverflowPolicy.DROP_OLDEST;
		this.fullReason = "the queue is full (maxQueueSize=" + maxQueueSize + " tasks queued or being exported)";
		this.fullOldestReason = fullReason + ": the oldest queued task made room";
		this.worker = Schedulers.newSingle("phospho-export", true);
		Duration linger = options.lingerDelay();
		this.ticker = worker.schedulePeriodically(this::onTick, linger.toNanos(), linger.toNanos(),
				TimeUnit.NANOSECONDS);
		this.shutdownMono = Mono.defer(() -> doShutdown(options.shutdownTimeout())).cache();
	}

	/**
	 * Queues a task for export.
	 *
	 * @return {@code false} when it was dropped (queue full or pipeline shut down)
	 */
	boolean offer(LoggedTask task) {
		if (closed) {
			drop("the client is shut down");
			return false;
		}
		// A CAS loop rather than increment-then-undo: the count held never exceeds the bound, even briefly.
		for (;;) {
			int n = held.get();
			if (n >= maxQueueSize) {
				// DROP_OLDEST: take the head in place of the new task; the number held stays the same.
				if (dropOldest && queue.poll() != null) {
					queue.offer(task);
					drop(fullOldestReason);
					return true;
				}
				drop(fullReason);
				return false;
			}
			if (held.compareAndSet(n, n + 1)) {
				queue.offer(task);
				// Wake the worker for a full batch unless it is awake already: producers racing on the
				// work counter for every task would cost more than the task. A task that arrives as the
				// worker goes idle waits at most the linger delay.
				if (!saturated && wip.get() == 0 && n + 1 - inFlightTasks >= maxBatchSize) {
					signal();
				}
				return true;
			}
		}
	}

	/** Completes when every task accepted before this call has been exported, or has failed for good. */
	Mono<Void> flush() {
		return Mono.create(sink -> {
			newWaiters.offer(sink);
			signal();
		});
	}

	/** Stops accepting, flushes for up to the shutdown timeout, then releases the exporter. Idempotent. */
	Mono<Void> shutdown() {
		return shutdownMono;
	}

	boolean isClosed() {
		return closed;
	}

	PhosphoStats stats() {
		return new PhosphoStats(held.get(), exported, dropped.sum(), failed, rejected, retried.sum(), batches,
				bytes, inFlight, lastError);
	}

	private Mono<Void> doShutdown(Duration timeout) {
		closed = true;
		return flush()
				.timeout(timeout, Mono.fromCallable(this::abandon)
						.subscribeOn(worker)
						.doOnNext(n -> LOG.warn("phospho: shutdown timed out after {}: {} tasks were not delivered "
								+ "(counted as dropped); last error: {}", timeout, n, lastError))
						.then())
				.then(Mono.fromRunnable(this::dropLate).subscribeOn(worker))
				.then(Mono.defer(() -> Mono.fromDirect(exporter.shutdown()))
						.timeout(timeout)
						.onErrorResume(e -> {
							LOG.warn("phospho: exporter shutdown failed: {}", e.toString());
							return Mono.empty();
						}))
				.doFinally(s -> {
					ticker.dispose();
					worker.disposeGracefully().subscribe(null, e -> { });
				});
	}

	/**
	 * Runs on the worker, so no drain loop runs at the same time: cancels the exports in flight,
	 * empties the queue and counts every task still held as dropped.
	 *
	 * @return the tasks that were not delivered
	 */
	/**
	 * Counts as dropped the tasks of a {@code log} that passed the {@code closed} check while the
	 * shutdown's flush was taking its count: no flush waits for them any more. Runs on the worker.
	 */
	private void dropLate() {
		int lost = 0;
		if (carry != null) {
			carry = null;
			lost++;
		}
		while (queue.poll() != null) {
			lost++;
		}
		if (lost > 0) {
			held.addAndGet(-lost);
			dropped.add(lost);
			LOG.warn("phospho: {} tasks logged while the client was shutting down were dropped", lost);
		}
	}

	private int abandon() {
		abandoned = true;
		running.dispose();
		Batch done;
		while ((done = completions.poll()) != null) {
			if (!done.done) {
				finish(done);
			}
		}
		int lost = 0;
		for (Batch b : started) {
			if (!b.done) {
				b.done = true;
				lost += b.tasks.size();
			}
		}
		started.clear();
		if (carry != null) {
			carry = null;
			lost++;
		}
		while (queue.poll() != null) {
			lost++;
		}
		held.addAndGet(-lost);
		dropped.add(lost);
		inFlight = 0;
		inFlightTasks = 0;
		completedPrefix = polled;
		for (Waiter w : waiters) {
			w.sink.success();
		}
		waiters.clear();
		MonoSink<Void> sink;
		while ((sink = newWaiters.poll()) != null) {
			sink.success();
		}
		return lost;
	}

	private void drop(String reason) {
		dropped.increment();
		long now = System.nanoTime();
		long last = lastDropWarning.get();
		if (now - last >= WARN_INTERVAL_NANOS && lastDropWarning.compareAndSet(last, now)) {
			LOG.warn("phospho: a task was dropped because {}; {} dropped so far", reason, dropped.sum());
		}
	}

	private void onTick() {
		tick = true;
		signal();
	}

	private void signal() {
		if (wip.getAndIncrement() == 0) {
			try {
				worker.schedule(this::drainLoop);
			}
			catch (RuntimeException rejected) {
				// The worker is disposed: nothing is left to drain, so a flush after shutdown completes.
				wip.set(0);
				MonoSink<Void> sink;
				while ((sink = newWaiters.poll()) != null) {
					sink.success();
				}
			}
		}
	}

	private void drainLoop() {
		int missed = 1;
		for (;;) {
			if (abandoned) {
				abandon();
				missed = wip.addAndGet(-missed);
				if (missed == 0) {
					return;
				}
				continue;
			}
			Batch done;
			while ((done = completions.poll()) != null) {
				finish(done);
			}
			MonoSink<Void> sink;
			while ((sink = newWaiters.poll()) != null) {
				long target = polled + Math.max(0, held.get() - inFlightTasks);
				waiters.add(new Waiter(sink, target));
				forceUntil = Math.max(forceUntil, target);
			}
			if (tick) {
				tick = false;
				forceUntil = Math.max(forceUntil, polled + Math.max(0, held.get() - inFlightTasks));
			}
			while (inFlight < maxConcurrent) {
				int available = held.get() - inFlightTasks;
				if (available <= 0 || (available < maxBatchSize && polled >= forceUntil)) {
					break;
				}
				Batch b = pollBatch();
				if (b == null) {
					// A producer has counted its task in held but not queued it yet. Look again
					// shortly: its offer may not signal, and a flush waiting for that task would
					// otherwise wait for the next linger tick.
					retryLater();
					break;
				}
				start(b);
			}
			saturated = inFlight >= maxConcurrent;
			completeWaiters();
			missed = wip.addAndGet(-missed);
			if (missed == 0) {
				return;
			}
		}
	}

	private void retryLater() {
		if (retryScheduled) {
			return;
		}
		retryScheduled = true;
		try {
			worker.schedule(() -> {
				retryScheduled = false;
				signal();
			}, 1, TimeUnit.MILLISECONDS);
		}
		catch (RuntimeException disposed) {
			retryScheduled = false;
		}
	}

	private @Nullable Batch pollBatch() {
		List<LoggedTask> tasks = null;
		long size = 2;
		LoggedTask next;
		// poll, never peek-then-poll: a DROP_OLDEST producer may take the head in between.
		while ((next = carry != null ? carry : queue.poll()) != null) {
			carry = null;
			long taskBytes = next.estimatedSize() + 1;
			if (tasks != null && (tasks.size() >= maxBatchSize || size + taskBytes > maxBatchBytes)) {
				carry = next;
				break;
			}
			if (tasks == null) {
				tasks = new ArrayList<>(Math.min(maxBatchSize, 64));
			}
			tasks.add(next);
			size += taskBytes;
		}
		return tasks == null ? null : new Batch(Collections.unmodifiableList(tasks), size);
	}

	private void start(Batch b) {
		int n = b.tasks.size();
		polled += n;
		b.end = polled;
		inFlight++;
		inFlightTasks += n;
		started.add(b);
		Mono<ExportResult> export;
		try {
			export = exporter.export(b.tasks);
			if (export == null) {
				throw new NullPointerException(exporter.getClass().getName() + ".export returned null");
			}
		}
		catch (Throwable t) {
			export = Mono.error(t);
		}
		b.subscription = export.contextWrite(Context.of(ExportListener.KEY, listener))
				.subscribe(r -> b.result = r, e -> complete(b, e), () -> complete(b, null));
		if (!running.add(b.subscription)) {
			// Shutdown already cancelled everything in flight.
			b.subscription.dispose();
		}
		else if (b.completed) {
			// It completed before subscribe returned: complete() could not see the subscription.
			running.remove(b.subscription);
		}
	}

	private void complete(Batch b, @Nullable Throwable error) {
		b.completed = true;
		Disposable d = b.subscription;
		if (d != null) {
			running.remove(d);
		}
		b.error = error;
		b.failed = error != null;
		completions.offer(b);
		signal();
	}

	private void finish(Batch b) {
		int n = b.tasks.size();
		inFlight--;
		inFlightTasks -= n;
		if (b.failed) {
			failed += n;
			Throwable e = b.error;
			lastError = e == null ? "unknown" : e.toString();
			warnFailure(n, e);
		}
		else {
			ExportResult r = b.result != null ? b.result : ExportResult.accepted(n);
			exported += r.accepted();
			rejected += r.rejected();
			// What the exporter neither delivered nor saw refused (a part of a split batch that failed).
			failed += Math.max(0, n - r.accepted() - r.rejected());
			batches++;
			bytes += b.bytes;
		}
		held.addAndGet(-n);
		b.done = true;
		while (!started.isEmpty() && started.peekFirst().done) {
			completedPrefix = started.pollFirst().end;
		}
		if (started.isEmpty()) {
			completedPrefix = polled;
		}
	}

	private void warnFailure(int n, @Nullable Throwable e) {
		long now = System.nanoTime();
		long last = lastFailureWarning.get();
		if (now - last >= WARN_INTERVAL_NANOS && lastFailureWarning.compareAndSet(last, now)) {
			LOG.warn("phospho: a batch of {} tasks could not be exported: {}; {} tasks failed so far", n,
					e == null ? "unknown error" : e.toString(), failed);
		}
	}

	private void completeWaiters() {
		if (waiters.isEmpty()) {
			return;
		}
		long done = started.isEmpty() ? polled : completedPrefix;
		for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
			Waiter w = it.next();
			if (w.target <= done) {
				it.remove();
				w.sink.success();
			}
		}
	}

	private static final class Batch {
		final List<LoggedTask> tasks;
		final long bytes;
		long end;
		volatile @Nullable ExportResult result;
		volatile @Nullable Disposable subscription;
		volatile boolean completed;
		@Nullable Throwable error;
		boolean failed;
		boolean done;

		Batch(List<LoggedTask> tasks, long bytes) {
			this.tasks = tasks;
			this.bytes = bytes;
		}
	}

	private record Waiter(MonoSink<Void> sink, long target) {
	}
}

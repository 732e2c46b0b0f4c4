package ai.phospho.reactive.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.PhosphoStats;
import ai.phospho.reactive.export.ExportListener;
import ai.phospho.reactive.export.ExportResult;
import ai.phospho.reactive.export.PhosphoHttpExporter;
import ai.phospho.reactive.export.TaskExporter;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.Logger;
import reactor.util.Loggers;

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
 * The worker survives every {@code Throwable}: from the exporter (thrown, returned, or from an
 * error's {@code toString()}), from a task's deferred conversion (a chunk's getter), and from
 * itself (an {@code OutOfMemoryError}): the tasks concerned are counted as failed, the cause is
 * reported and kept in {@code lastError}, and the loop goes on. The exporter is called on a thread
 * of its own ({@code phospho-export-call}), so one that blocks, against its contract, holds neither
 * the worker nor the shutdown timeout.
 *
 * <p>Admission and shutdown: a producer checks {@code closed}, reserves its place, queues the task,
 * then checks {@code closed} again; a task queued after the shutdown had taken its count is settled
 * by the worker, or by the producer itself once the worker is gone: exported, handed over to a
 * {@linkplain #handOverTo successor}, or counted as dropped. So after {@code shutdown()} completes
 * and every {@code offer} has returned, {@code queued + exported + dropped + failed + rejected}
 * adds up to what was offered (less what was handed over).
 */
public final class ExportPipeline {

	private static final Logger LOG = Loggers.getLogger("ai.phospho.reactive.export");
	public static final long WARN_INTERVAL_NANOS = Duration.ofSeconds(30).toNanos();

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
	/** Where the exporter is called: never the worker, so that an exporter that blocks cannot hold it. */
	private final Scheduler exportCalls;
	private final Disposable ticker;

	private final LongAdder dropped = new LongAdder();
	private final LongAdder retried = new LongAdder();
	private final LongAdder captureErrors = new LongAdder();
	/** The subscriptions of the exports in flight, cancelled when shutdown times out. */
	private final Disposable.Composite running = Disposables.composite();
	private final ExportListener listener = new ExportListener() {
		@Override
		public void retrying(String reason) {
			retried.increment();
			lastError = redacted(reason);
		}

		@Override
		public void failed(String reason) {
			lastError = redacted(reason);
		}
	};
	private final AtomicLong lastDropWarning = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);
	private final AtomicLong lastFailureWarning = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);

	private volatile boolean closed;
	/** Set by the worker once the shutdown's flush is over: what is queued from then on is settled, not exported. */
	private volatile boolean sealed;
	/** Set on shutdown timeout: nothing more is exported. */
	private volatile boolean abandoned;
	/** The pipeline that takes the tasks this one can no longer export (a re-initialised client). */
	private volatile @Nullable ExportPipeline successor;
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
	/** The tasks of the batch being cut: counted as failed if the worker fails while cutting it. */
	private @Nullable List<LoggedTask> cutting;
	private final ArrayDeque<Batch> started = new ArrayDeque<>();
	private final List<Waiter> waiters = new ArrayList<>();

	private final Mono<Void> shutdownMono;
	/** What any exporter's error says passes through it: a custom exporter may echo the key too. */
	private final @Nullable KeyRedactor redactor;

	public ExportPipeline(TaskExporter exporter, PhosphoOptions options) {
		this.exporter = exporter;
		this.maxQueueSize = options.maxQueueSize();
		this.maxBatchSize = options.maxBatchSize();
		this.maxBatchBytes = options.maxBatchBytes();
		this.maxConcurrent = options.maxConcurrentExports();
		this.dropOldest = options.overflowPolicy() == PhosphoOptions.OverflowPolicy.DROP_OLDEST;
		this.fullReason = "the queue is full (maxQueueSize=" + maxQueueSize + " tasks queued or being exported)";
		this.fullOldestReason = fullReason + ": the oldest queued task made room";
		this.worker = Schedulers.newSingle("phospho-export", true);
		// One thread: batches are handed to the exporter in the order they were cut.
		this.exportCalls = Schedulers.newSingle("phospho-export-call", true);
		Duration linger = options.lingerDelay();
		this.ticker = worker.schedulePeriodically(this::onTick, linger.toNanos(), linger.toNanos(),
				TimeUnit.NANOSECONDS);
		this.shutdownMono = Mono.defer(() -> doShutdown(options.shutdownTimeout())).cache();
		String key = options.apiKey();
		this.redactor = key == null ? null : new KeyRedactor(key);
	}

	/**
	 * Queues a task for export.
	 *
	 * @return {@code false} when it was dropped (queue full or pipeline shut down)
	 */
	public boolean offer(LoggedTask task) {
		if (closed) {
			return reject(task, "the client is shut down");
		}
		// A CAS loop rather than increment-then-undo: the count held never exceeds the bound, even briefly.
		for (;;) {
			int n = held.get();
			if (n >= maxQueueSize) {
				// DROP_OLDEST: take the head in place of the new task; the number held stays the same.
				if (dropOldest && queue.poll() != null) {
					queue.offer(task);
					drop(fullOldestReason);
					if (closed) {
						// As below: the shutdown may have settled the queue before this task was in it.
						signal();
					}
					return true;
				}
				drop(fullReason);
				return false;
			}
			if (held.compareAndSet(n, n + 1)) {
				queue.offer(task);
				if (closed) {
					// A shutdown may have taken its count before this task was queued: whoever drains
					// next (the worker, or this thread once the worker is gone) settles it.
					signal();
				}
				// Wake the worker for a full batch unless it is awake already: producers racing on the
				// work counter for every task would cost more than the task. A task that arrives as the
				// worker goes idle waits at most the linger delay.
				else if (!saturated && wip.get() == 0 && n + 1 - inFlightTasks >= maxBatchSize) {
					signal();
				}
				return true;
			}
		}
	}

	/**
	 * From now on, what this pipeline would drop because it is shut down goes to {@code next}: the
	 * tasks of threads that still hold the old client when {@code Phospho.init} replaces it.
	 */
	public void handOverTo(ExportPipeline next) {
		if (next != this) {
			successor = next;
		}
	}

	/** Completes when every task accepted before this call has been exported, or has failed for good. */
	public Mono<Void> flush() {
		return Mono.create(sink -> {
			newWaiters.offer(sink);
			signal();
		});
	}

	/** Stops accepting, flushes for up to the shutdown timeout, then releases the exporter. Idempotent. */
	public Mono<Void> shutdown() {
		return shutdownMono;
	}

	public void captureFailed() {
		captureErrors.increment();
	}

	public boolean isClosed() {
		return closed;
	}

	public PhosphoStats stats() {
		return new PhosphoStats(held.get(), exported, dropped.sum(), failed, rejected, retried.sum(), batches,
				bytes, inFlight, lastError, captureErrors.sum());
	}

	private Mono<Void> doShutdown(Duration timeout) {
		closed = true;
		long deadline = System.nanoTime() + timeout.toNanos();
		// The worker's part gets a tenth more than the flush: a worker stuck in a task's conversion
		// (a getter that never returns) must not hold the shutdown; what it holds stays queued.
		Duration workerPhase = Duration.ofNanos(timeout.toNanos() + timeout.toNanos() / 10);
		return flush()
				.timeout(timeout, Mono.fromCallable(this::abandon).subscribeOn(worker)
						.doOnNext(n -> Reports.warn(LOG, "phospho: shutdown timed out after {}: {} tasks were not "
								+ "delivered (counted as dropped); last error: {}", timeout, n, lastError))
						.then())
				.then(Mono.fromRunnable(this::seal).subscribeOn(worker))
				.timeout(workerPhase, Mono.fromRunnable(() -> Reports.warn(LOG, "phospho: shutdown timed out after {} "
						+ "and the export worker did not answer; {} tasks are left undelivered", timeout, held.get())))
				.onErrorResume(e -> Mono.empty())
				.then(closeExporter(deadline, timeout.toNanos() / 2))
				.doFinally(s -> {
					ticker.dispose();
					worker.disposeGracefully().subscribe(null, e -> { });
					exportCalls.disposeGracefully().subscribe(null, e -> { });
				});
	}

	/**
	 * Asks the exporter to close, off the worker, and waits for it until the shutdown's deadline,
	 * or half the timeout if less is left: an exporter whose {@code shutdown()} blocks or never
	 * completes is left behind with a warning. So {@code shutdown()} takes at most 1.6 times its
	 * timeout, whatever the exporter does.
	 */
	private Mono<Void> closeExporter(long deadline, long closeGraceNanos) {
		Mono<Void> closing = Mono.defer(() -> Mono.fromDirect(exporter.shutdown()))
				.subscribeOn(exportCalls)
				.onErrorResume(e -> {
					Reports.warn(LOG, "phospho: exporter shutdown failed: {}", Failures.describe(e));
					return Mono.empty();
				})
				.cache();
		return Mono.defer(() -> {
			closing.subscribe(null, e -> { });
			long left = Math.max(deadline - System.nanoTime(), closeGraceNanos);
			return closing.timeout(Duration.ofNanos(left), Mono.fromRunnable(() -> Reports.warn(LOG,
					"phospho: the exporter did not close within the shutdown timeout; it is left behind")));
		});
	}

	/**
	 * Runs on the worker once the shutdown's flush is over: from now on what is queued (by a
	 * {@code log} that passed the {@code closed} check while the flush took its count) is settled
	 * at once, as by a closed pipeline: handed over or counted as dropped.
	 */
	private void seal() {
		sealed = true;
		settleQueued();
		completeWaiters();
	}

	/** Hands over or drops everything queued; on the worker, or on a producer's thread once the worker is gone. */
	private void settleQueued() {
		LoggedTask t = carry;
		carry = null;
		int dropped = 0;
		int settled = 0;
		for (; t != null || (t = queue.poll()) != null; t = null) {
			held.decrementAndGet();
			settled++;
			if (!reject(t, "the client is shut down")) {
				dropped++;
			}
		}
		// Settled is done, for any flush that counted these tasks in its target.
		polled += settled;
		if (started.isEmpty()) {
			completedPrefix = polled;
		}
		if (dropped > 0) {
			Reports.warn(LOG, "phospho: {} tasks logged while the client was shutting down were dropped", dropped);
		}
	}

	/**
	 * Runs on the worker when the shutdown times out: cancels the exports in flight and counts
	 * their tasks as dropped; the tasks still queued are handed over, or dropped.
	 *
	 * @return the tasks that were not delivered
	 */
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
		held.addAndGet(-lost);
		dropped.add(lost);
		long before = dropped.sum();
		settleQueued();
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
		return lost + (int) (dropped.sum() - before);
	}

	/** A task this pipeline cannot take: to the successor if there is one, else dropped and counted. */
	private boolean reject(LoggedTask task, String reason) {
		ExportPipeline next = successor;
		if (next != null) {
			return next.offer(task);
		}
		drop(reason);
		return false;
	}

	private void drop(String reason) {
		dropped.increment();
		long now = System.nanoTime();
		long last = lastDropWarning.get();
		if (now - last >= WARN_INTERVAL_NANOS && lastDropWarning.compareAndSet(last, now)) {
			Reports.warn(LOG, "phospho: a task was dropped because {}; {} dropped so far", reason, dropped.sum());
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
				// The worker is gone (shut down): this thread settles what is queued and answers the
				// waiters, with the work counter still guarding against a second drainer.
				int missed = 1;
				for (;;) {
					settleQueued();
					// Nothing can be exported any more: every flush is as done as it will be.
					for (Waiter w : waiters) {
						w.sink.success();
					}
					waiters.clear();
					MonoSink<Void> sink;
					while ((sink = newWaiters.poll()) != null) {
						sink.success();
					}
					missed = wip.addAndGet(-missed);
					if (missed == 0) {
						return;
					}
				}
			}
		}
	}

	private void drainLoop() {
		int missed = 1;
		for (;;) {
			try {
				drain();
			}
			catch (Throwable e) {
				recover(e);
			}
			missed = wip.addAndGet(-missed);
			if (missed == 0) {
				return;
			}
		}
	}

	private void drain() {
		if (abandoned) {
			abandon();
			return;
		}
		if (sealed) {
			settleQueued();
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
	}

	/**
	 * The worker met a {@code Throwable} that no step of its own caught: an error of the JVM (out of
	 * memory) or a defect. The batch it was cutting is counted as failed, the cause reported, and
	 * the loop goes on: flush and shutdown still complete.
	 */
	private void recover(Throwable e) {
		List<LoggedTask> cut = cutting;
		cutting = null;
		// The task being placed when it happened is the likely cause: not tried again.
		int lost = (cut == null ? 0 : cut.size()) + (carry == null ? 0 : 1);
		carry = null;
		if (lost > 0) {
			failUnsent(lost);
		}
		String reason = "the export worker failed: " + redacted(Failures.describe(e));
		lastError = reason;
		Reports.error(LOG, "phospho: {}; {} tasks were lost with it, the worker goes on", reason, lost, e);
	}

	/** Tasks taken from the queue that will never be exported: failed, and done for any flush. */
	private void failUnsent(int n) {
		polled += n;
		failed += n;
		held.addAndGet(-n);
		if (started.isEmpty()) {
			completedPrefix = polled;
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
		long size = 2;
		LoggedTask next;
		// poll, never peek-then-poll: a DROP_OLDEST producer may take the head in between.
		while ((next = carry != null ? carry : queue.poll()) != null) {
			// Held in carry until it is placed, so that a failure of the worker cannot lose it uncounted.
			carry = next;
			long taskBytes = sizeOf(next);
			if (taskBytes < 0) {
				// Its deferred conversion threw: it cannot be written by any exporter.
				carry = null;
				failUnsent(1);
				continue;
			}
			List<LoggedTask> tasks = cutting;
			if (tasks != null && (tasks.size() >= maxBatchSize || size + taskBytes + 1 > maxBatchBytes)) {
				break;
			}
			if (tasks == null) {
				tasks = new ArrayList<>(Math.min(maxBatchSize, 64));
				cutting = tasks;
			}
			tasks.add(next);
			carry = null;
			size += taskBytes + 1;
		}
		List<LoggedTask> tasks = cutting;
		cutting = null;
		return tasks == null ? null : new Batch(Collections.unmodifiableList(tasks), size);
	}

	/** The task's estimated JSON size, or -1 when reading it throws (a chunk's getter, converted here). */
	private long sizeOf(LoggedTask task) {
		try {
			return EventWriter.estimatedSize(task);
		}
		catch (Throwable e) {
			Failures.throwIfFatal(e);
			String reason = "task " + task.taskId() + " could not be converted for export: " + redacted(Failures.describe(e));
			lastError = reason;
			Reports.warn(LOG, "phospho: {}; it is counted as failed", reason, e);
			return -1;
		}
	}

	private void start(Batch b) {
		int n = b.tasks.size();
		polled += n;
		b.end = polled;
		inFlight++;
		inFlightTasks += n;
		started.add(b);
		try {
			Disposable d = Mono.defer(() -> callExporter(b.tasks)).subscribeOn(exportCalls)
					.subscribe(r -> b.result = r, e -> complete(b, e), () -> complete(b, null));
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
			complete(b, e);
		}
	}

	/** The exporter's Mono; what it throws (even a {@code LinkageError}, which reactor treats as fatal) as an error. */
	private Mono<ExportResult> callExporter(List<LoggedTask> tasks) {
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

	/** The export's terminal signal, once, from whichever thread it arrives on. */
	private void complete(Batch b, @Nullable Throwable error) {
		if (!b.completed.compareAndSet(false, true)) {
			return;
		}
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
		}
		else {
			ExportResult r = b.result;
			// An exporter's result is user data too: what it claims is bounded by the batch.
			int accepted = r == null ? n : Math.min(r.accepted(), n);
			int refused = r == null ? 0 : Math.min(r.rejected(), n - accepted);
			exported += accepted;
			rejected += refused;
			// What the exporter neither delivered nor saw refused (a part of a split batch that failed).
			failed += n - accepted - refused;
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
		if (b.failed) {
			String reason = redacted(Failures.describe(b.error));
			lastError = reason;
			warnFailure(n, reason);
		}
	}

	private String redacted(String text) {
		KeyRedactor r = redactor;
		return r == null ? text : r.redactAndShorten(text, PhosphoHttpExporter.MAX_REPLY_CHARS);
	}

	private void warnFailure(int n, String reason) {
		long now = System.nanoTime();
		long last = lastFailureWarning.get();
		if (now - last >= WARN_INTERVAL_NANOS && lastFailureWarning.compareAndSet(last, now)) {
			Reports.warn(LOG, "phospho: a batch of {} tasks could not be exported: {}; {} tasks failed so far", n,
					reason, failed);
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
		final AtomicBoolean completed = new AtomicBoolean();
		long end;
		volatile @Nullable ExportResult result;
		volatile @Nullable Disposable subscription;
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

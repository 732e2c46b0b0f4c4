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
 * <p>The bound counts every task held: queued or in a batch being exported. A task offered beyond
 * it is dropped and counted, with at most one warning per {@link #WARN_INTERVAL_NANOS}.
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

	private final Queue<LoggedTask> queue = new ConcurrentLinkedQueue<>();
	/** Tasks held: queued, or in a batch being exported. */
	private final AtomicInteger held = new AtomicInteger();
	private final AtomicInteger wip = new AtomicInteger();
	private final Queue<Batch> completions = new ConcurrentLinkedQueue<>();
	private final Queue<MonoSink<Void>> newWaiters = new ConcurrentLinkedQueue<>();
	private final Scheduler worker;
	private final Disposable ticker;

	private final LongAdder dropped = new LongAdder();
	private final AtomicLong lastDropWarning = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);
	private final AtomicLong lastFailureWarning = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);

	private volatile boolean closed;
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
	private final ArrayDeque<Batch> started = new ArrayDeque<>();
	private final List<Waiter> waiters = new ArrayList<>();

	private final Mono<Void> shutdownMono;

	ExportPipeline(TaskExporter exporter, PhosphoOptions options) {
		this.exporter = exporter;
		this.maxQueueSize = options.maxQueueSize();
		this.maxBatchSize = options.maxBatchSize();
		this.maxBatchBytes = options.maxBatchBytes();
		this.maxConcurrent = options.maxConcurrentExports();
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
		int n = held.incrementAndGet();
		if (n > maxQueueSize) {
			held.decrementAndGet();
			drop("the queue is full (maxQueueSize=" + maxQueueSize + " tasks queued or being exported)");
			return false;
		}
		queue.offer(task);
		if (!saturated && n - inFlightTasks >= maxBatchSize) {
			signal();
		}
		return true;
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
		return new PhosphoStats(held.get(), exported, dropped.sum(), failed, rejected, 0, batches, bytes,
				inFlight, lastError);
	}

	private Mono<Void> doShutdown(Duration timeout) {
		closed = true;
		return flush()
				.timeout(timeout, Mono.defer(() -> {
					LOG.warn("phospho: shutdown timed out after {}: {} tasks were not delivered", timeout, held.get());
					return Mono.empty();
				}))
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
				// The worker is disposed after shutdown: nothing will be exported any more, so a
				// flush has nothing to wait for (it would otherwise never complete).
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
		while ((next = queue.peek()) != null) {
			long taskBytes = next.estimatedSize() + 1;
			if (tasks != null && (tasks.size() >= maxBatchSize || size + taskBytes > maxBatchBytes)) {
				break;
			}
			queue.poll();
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
		export.subscribe(r -> b.result = r, e -> complete(b, e), () -> complete(b, null));
	}

	private void complete(Batch b, @Nullable Throwable error) {
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

package ai.phospho.reactive.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoOptions;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The export worker: takes what {@link Admission} queued, cuts it into batches (by count, bytes
 * and the linger delay) and hands each to the exporter through {@link ExportCalls}, at most
 * {@code maxConcurrentExports} at a time; records their outcome and completes the flushes that
 * waited for them. While every slot is taken it cuts one full batch ahead, which waits in
 * {@code ExportCalls} and is started by the first export to end, from that export's thread: the
 * slot is not idle while this thread wakes up. The worker counts that batch in {@code inFlight}
 * (so at most {@code maxConcurrentExports + 1}) and {@code started}, as any batch handed over.
 *
 * <p>All worker state is touched only inside {@link #drainLoop()}, which the work-in-progress
 * counter {@link #wip} keeps to one thread at a time (the queue-drain pattern of reactor-core), or
 * by a task of the worker's own single thread ({@link #seal}, {@link #abandon}). The worker
 * survives every {@code Throwable}: from the exporter (thrown, returned, or from an error's
 * {@code toString()}), from a task's deferred conversion (a chunk's getter), and from itself (an
 * {@code OutOfMemoryError}): the tasks concerned are counted as failed, the cause is reported and
 * kept in {@code lastError}, and the loop goes on. Once its thread is gone (after shutdown), whoever
 * signals it settles what is queued and answers the flushes, under the same counter.
 *
 * <p>Progress is counted in tasks taken from the queue ({@code polled}); a batch is done once its
 * outcome is recorded, and a flush waits until every task up to its target is done, in order.
 */
final class ExportWorker {

	private final Admission admission;
	private final ExportStats stats;
	private final ExportCalls calls;
	private final BatchCutter cutter;
	private final FlushWaiters waiters = new FlushWaiters();
	private final int maxBatchSize;
	private final int maxConcurrent;
	/** How long tasks counted but not queued must stay missing before their places are given up. */
	static final long LOST_PLACE_NANOS = TimeUnit.SECONDS.toNanos(1);
	/** ... and how many looks (about one per millisecond) must have found them missing. */
	static final int LOST_PLACE_LOOKS = 100;

	private final Scheduler scheduler = Schedulers.newSingle("phospho-export", true);
	private final Disposable ticker;
	private final AtomicInteger wip = new AtomicInteger();
	private final Queue<Batch> completions = new ConcurrentLinkedQueue<>();
	private final Consumer<Batch> onCompletion = this::completed;

	private volatile boolean tick;
	/** Whether every export slot is taken: producers then need not wake the worker. */
	private volatile boolean saturated;
	/** Set once the shutdown's flush is over: what is queued from then on is settled, not exported. */
	private volatile boolean sealed;
	/** Set on shutdown timeout: nothing more is exported. */
	private volatile boolean abandoned;
	private volatile int inFlight;
	private volatile int inFlightTasks;

	// Worker only.
	private long polled;
	private long forceUntil;
	private long completedPrefix;
	private boolean retryScheduled;
	/**
	 * Drain loops started, and what the last tick saw of it while the work counter was held (-1: it
	 * was not): a lost wake-up shows as the counter held over two ticks with no drain started.
	 * Worker thread only (the drain loop and the ticks run there).
	 */
	private long drainsStarted;
	private long drainsAtTick = -1;
	/**
	 * Drains scheduled by a signal (counted once the schedule returned), and those of them started:
	 * while one is still to start, the counter held is no lost wake-up but a drain late behind the
	 * ticks (a worker busy longer than the linger period runs its late ticks one after the other,
	 * before a drain scheduled meanwhile). The second is worker thread only.
	 */
	private final AtomicLong drainsScheduled = new AtomicLong();
	private long scheduledDrainsStarted;
	/** When the worker first found fewer tasks queued than counted (0: not now), and the fewest since. */
	private long missingSince;
	private int fewestMissing;
	private int missingLooks;
	private final ArrayDeque<Batch> started = new ArrayDeque<>();

	ExportWorker(Admission admission, ExportCalls calls, ExportStats stats, PhosphoOptions options) {
		this.admission = admission;
		this.stats = stats;
		this.calls = calls;
		this.maxBatchSize = options.maxBatchSize();
		this.maxConcurrent = options.maxConcurrentExports();
		this.cutter = new BatchCutter(admission, stats, maxBatchSize, options.maxBatchBytes(), options.redactor());
		Duration linger = options.lingerDelay();
		this.ticker = scheduler.schedulePeriodically(this::onTick, linger.toNanos(), linger.toNanos(),
				TimeUnit.NANOSECONDS);
	}

	/**
	 * A producer's task was admitted: {@code held} tasks are held, or it is {@link Admission#LATE}.
	 * The worker is woken for a full batch unless it is awake already: producers racing on the work
	 * counter for every task would cost more than the task. A task that arrives as the worker goes
	 * idle waits at most the linger delay. A late task always wakes it, to be settled.
	 */
	void queued(int held) {
		if (held == Admission.LATE || (!saturated && wip.get() == 0 && held - inFlightTasks >= maxBatchSize)) {
			signal();
		}
	}

	/** Completes when every task accepted before the call is done: exported, failed or settled. */
	Mono<Void> flush() {
		return Mono.create(sink -> {
			waiters.arrive(sink);
			signal();
		});
	}

	/** Batches being exported now: not the one cut ahead, waiting for a slot. */
	int inFlight() {
		return calls.running();
	}

	/**
	 * Once the shutdown's flush is over, on the worker: from now on what is queued (by a {@code log}
	 * that passed the {@code closed} check while the flush took its count) is settled at once.
	 */
	Mono<Void> seal() {
		return Mono.fromRunnable(() -> {
			sealed = true;
			settleQueued();
			completeWaiters();
		}).subscribeOn(scheduler).then();
	}

	/**
	 * When the shutdown times out, on the worker: cancels the exports in flight and counts their
	 * tasks as dropped; the tasks still queued are handed over, or dropped.
	 *
	 * @return the tasks that were not delivered
	 */
	Mono<Integer> abandon() {
		return Mono.fromCallable(this::abandonNow).subscribeOn(scheduler);
	}

	void dispose() {
		ticker.dispose();
		OwnSchedulers.dispose(scheduler);
	}

	private int abandonNow() {
		abandoned = true;
		calls.cancelAll();
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
		stats.dropped(lost);
		admission.release(lost);
		int settled = settleQueued();
		inFlight = 0;
		inFlightTasks = 0;
		completedPrefix = polled;
		waiters.completeAll();
		return lost + settled;
	}

	/**
	 * Hands over or drops everything queued; on the worker, or on a producer's thread once the
	 * worker is gone.
	 *
	 * @return how many were dropped
	 */
	private int settleQueued() {
		int dropped = 0;
		int settled = 0;
		for (LoggedTask t = cutter.takeCarry(); t != null || (t = admission.poll()) != null; t = null) {
			settled++;
			if (admission.settle(t)) {
				dropped++;
			}
		}
		// Settled is done, for any flush that counted these tasks in its target.
		polled += settled;
		if (started.isEmpty()) {
			completedPrefix = polled;
		}
		if (dropped > 0) {
			Reports.warn(ExportStats.LOG, "phospho: {} tasks logged while the client was shutting down were dropped",
					dropped);
		}
		return dropped;
	}

	private void onTick() {
		tick = true;
		int w = wip.get();
		if (w > 0 && drainsStarted == drainsAtTick && scheduledDrainsStarted >= drainsScheduled.get()) {
			// The work counter has been held over two ticks and no drain started in between, on
			// this very thread where a scheduled one would have run: the wake-up that took the
			// counter from 0 was lost between its increment and its schedule (a StackOverflowError
			// in a log at the end of a deep stack). This tick drains in its place, as its owner.
			drainsAtTick = -1;
			Reports.warn(ExportStats.LOG, "phospho: the export worker's wake-up was lost; the worker resumed");
			drainLoop();
			return;
		}
		drainsAtTick = w > 0 ? drainsStarted : -1;
		signal();
	}

	private void signal() {
		if (wip.getAndIncrement() == 0) {
			try {
				scheduler.schedule(this::scheduledDrain);
				drainsScheduled.incrementAndGet();
			}
			catch (RuntimeException rejected) {
				// The worker is gone (shut down): this thread settles what is queued and answers the
				// waiters, with the work counter still guarding against a second drainer.
				int missed = 1;
				for (;;) {
					settleQueued();
					waiters.completeAll();
					missed = wip.addAndGet(-missed);
					if (missed == 0) {
						return;
					}
				}
			}
		}
	}

	private void scheduledDrain() {
		scheduledDrainsStarted++;
		drainLoop();
	}

	private void drainLoop() {
		drainsStarted++;
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
			abandonNow();
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
		while ((sink = waiters.pollArrived()) != null) {
			long target = polled + Math.max(0, admission.held() - inFlightTasks);
			waiters.await(sink, target);
			forceUntil = Math.max(forceUntil, target);
		}
		if (tick) {
			tick = false;
			forceUntil = Math.max(forceUntil, polled + Math.max(0, admission.held() - inFlightTasks));
		}
		// One batch more than the slots: cut ahead while every slot is taken, it waits in ExportCalls
		// and starts as soon as an export ends, from that export's thread.
		while (inFlight <= maxConcurrent) {
			int available = admission.held() - inFlightTasks;
			if (available <= 0) {
				missingSince = 0;
				break;
			}
			if (available < maxBatchSize && (polled >= forceUntil || inFlight == maxConcurrent)) {
				// Only a full batch is cut ahead: a flush's last batch gathers what arrives until a slot is free.
				break;
			}
			Batch b = cutter.next();
			int unconvertible = cutter.takeUnconvertible();
			int removed = cutter.takeRemoved();
			failUnsent(unconvertible);
			removeUnsent(removed);
			if (b == null && unconvertible + removed > 0) {
				// Tasks were taken, but the redactor removed them or they could not be converted:
				// progress, not a place missing (what was available counted them). Looked at again
				// shortly, as when a place is missing, rather than at once: a flood of tasks that are
				// all removed must not keep the worker from its completions and flushes.
				missingSince = 0;
				retryLater();
				break;
			}
			if (b == null) {
				// A producer has counted its task in held but not queued it yet. Look again
				// shortly: its offer may not signal, and a flush waiting for that task would
				// otherwise wait for the next linger tick.
				if (lostPlaces(available)) {
					continue;
				}
				retryLater();
				break;
			}
			missingSince = 0;
			start(b);
		}
		saturated = inFlight > maxConcurrent;
		completeWaiters();
	}

	/**
	 * The worker met a {@code Throwable} that no step of its own caught: an error of the JVM (out of
	 * memory) or a defect. The tasks it was placing in a batch are counted as failed, the cause
	 * reported, and the loop goes on: flush and shutdown still complete.
	 */
	private void recover(Throwable e) {
		failUnsent(cutter.takeUnconvertible());
		removeUnsent(cutter.takeRemoved());
		int lost = cutter.abort();
		failUnsent(lost);
		String reason = "the export worker failed: " + stats.redacted(Failures.describe(e));
		stats.lastError(reason);
		Reports.error(ExportStats.LOG, "phospho: {}; {} tasks were lost with it, the worker goes on", reason, lost, e);
	}

	/** Tasks taken from the queue that will never be exported: failed, and done for any flush. */
	private void failUnsent(int n) {
		if (n == 0) {
			return;
		}
		polled += n;
		stats.failed(n);
		admission.release(n);
		if (started.isEmpty()) {
			completedPrefix = polled;
		}
	}

	/** Tasks taken from the queue that the redactor removed (counted there): done for any flush. */
	private void removeUnsent(int n) {
		if (n == 0) {
			return;
		}
		polled += n;
		admission.release(n);
		if (started.isEmpty()) {
			completedPrefix = polled;
		}
	}

	/**
	 * Whether places counted in held for tasks that never reached the queue were given up. A producer
	 * stopped between its count and its offer (a {@code StackOverflowError} at the end of a deep stack
	 * that the application caught) never queues its task, and its place would hold the bound and every
	 * later flush's target for ever; {@code Admission} cannot undo its count when the offer throws, as
	 * the queue may have linked the task before the error. After {@link #LOST_PLACE_NANOS} and
	 * {@link #LOST_PLACE_LOOKS} looks that all found places missing, the fewest seen are counted as
	 * failed and released. A producer that was only paused that long would find its task taken later
	 * in another's place: the counts would be one off, the task still exported.
	 *
	 * <p>The wake-up has the same window (the work counter taken from 0, the drain not yet scheduled):
	 * {@link #onTick} finds it. A drain it runs in place of one that was in fact only late is harmless:
	 * both run on this thread, and the drain loop's count of missed signals brings the counter back to
	 * 0 through a negative value.
	 */
	private boolean lostPlaces(int missing) {
		long now = System.nanoTime();
		if (missingSince == 0) {
			missingSince = now;
			fewestMissing = missing;
			missingLooks = 1;
			return false;
		}
		fewestMissing = Math.min(fewestMissing, missing);
		// Many looks as well as the time: a pause of the whole JVM (a long collection) while a producer
		// was between its count and its offer is one look, not a lost place.
		if (++missingLooks < LOST_PLACE_LOOKS || now - missingSince < LOST_PLACE_NANOS) {
			return false;
		}
		int lost = fewestMissing;
		missingSince = 0;
		failUnsent(lost);
		String reason = lost + " places of the queue were counted for tasks that never reached it (a log stopped by an "
				+ "error such as StackOverflowError between its count and its offer); counted as failed";
		stats.lastError(reason);
		Reports.warn(ExportStats.LOG, "phospho: {}", reason);
		return true;
	}

	private void retryLater() {
		if (retryScheduled) {
			return;
		}
		retryScheduled = true;
		try {
			scheduler.schedule(() -> {
				retryScheduled = false;
				signal();
			}, 1, TimeUnit.MILLISECONDS);
		}
		catch (RuntimeException disposed) {
			retryScheduled = false;
		}
	}

	private void start(Batch b) {
		int n = b.tasks.size();
		polled += n;
		b.end = polled;
		inFlight++;
		inFlightTasks += n;
		started.add(b);
		// The worker's thread measures the export timeout: it is never blocked by an exporter.
		calls.start(b, maxConcurrent, scheduler, onCompletion);
	}

	/** An export's terminal signal, from whichever thread it arrives on. */
	private void completed(Batch b) {
		completions.offer(b);
		signal();
	}

	private void finish(Batch b) {
		int n = b.tasks.size();
		inFlight--;
		inFlightTasks -= n;
		// Counted before released: a reader of stats() never sees a task in neither place.
		stats.record(b);
		admission.release(n);
		b.done = true;
		while (!started.isEmpty() && started.peekFirst().done) {
			completedPrefix = started.pollFirst().end;
		}
		if (started.isEmpty()) {
			completedPrefix = polled;
		}
	}

	private void completeWaiters() {
		waiters.completeUpTo(started.isEmpty() ? polled : completedPrefix);
	}
}

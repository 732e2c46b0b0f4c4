package ai.phospho.reactive.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoOptions;
import org.jspecify.annotations.Nullable;

/**
 * Admission to the pipeline: the bounded multi-producer queue and the count of tasks held.
 *
 * <p>The bound counts every task held: queued or in a batch being exported (retries included); the
 * worker {@linkplain #release releases} a task once its export is over. Producers reserve their
 * place with a CAS loop on the count held (lock-free, no allocation), so the count never exceeds
 * the bound, even briefly. A task offered beyond it is dropped and counted, with at most one
 * warning per {@link RateLimitedWarning#INTERVAL}: the new task ({@code DROP_NEWEST}), or with
 * {@code DROP_OLDEST} the head of the queue, which the producer takes with one lock-free
 * {@code poll} (O(1)) and replaces by the new task, so the count held does not change; when nothing
 * is left in the queue (every held task is in flight), the new task is dropped instead.
 *
 * <p>Against shutdown: a producer checks {@code closed}, reserves its place, queues the task, then
 * checks {@code closed} again and, if it is set, answers {@link #LATE}: the shutdown may have taken
 * its count before this task was queued, so whoever drains next settles it
 * ({@link #settle}: handed over to a {@linkplain #handOverTo successor}, or counted as dropped).
 */
final class Admission {

	/** {@link #offer}: the task was dropped, or the successor refused it. */
	static final int REFUSED = -2;
	/** {@link #offer}: the task was taken (handed over, or queued in place of the oldest) and nobody need be woken. */
	static final int TAKEN = -1;
	/** {@link #offer}: the task was queued after the pipeline closed; the worker must be woken to settle it. */
	static final int LATE = 0;

	private static final String SHUT_DOWN = "the client is shut down";

	private final Queue<LoggedTask> queue = new ConcurrentLinkedQueue<>();
	private final AtomicInteger held = new AtomicInteger();
	private final int maxQueueSize;
	private final boolean dropOldest;
	/** Built once: a full queue must not cost a string per dropped task. */
	private final String fullReason;
	private final String fullOldestReason;
	private final ExportStats stats;
	private final RateLimitedWarning dropWarning = new RateLimitedWarning();

	private volatile boolean closed;
	/** The pipeline that takes the tasks this one can no longer export (a re-initialised client). */
	private volatile @Nullable ExportPipeline successor;

	Admission(PhosphoOptions options, ExportStats stats) {
		this.maxQueueSize = options.maxQueueSize();
		this.dropOldest = options.overflowPolicy() == PhosphoOptions.OverflowPolicy.DROP_OLDEST;
		this.fullReason = "the queue is full (maxQueueSize=" + maxQueueSize + " tasks queued or being exported)";
		this.fullOldestReason = fullReason + ": the oldest queued task made room";
		this.stats = stats;
	}

	/**
	 * Admits a task, from any thread.
	 *
	 * @return the number of tasks held once it was queued (at least 1), or {@link #LATE},
	 *         {@link #TAKEN} or {@link #REFUSED}
	 */
	int offer(LoggedTask task) {
		if (closed) {
			return reject(task, SHUT_DOWN) ? TAKEN : REFUSED;
		}
		// A CAS loop rather than increment-then-undo: the count held never exceeds the bound, even briefly.
		for (;;) {
			int n = held.get();
			if (n >= maxQueueSize) {
				// DROP_OLDEST: take the head in place of the new task; the number held stays the same.
				if (dropOldest && queue.poll() != null) {
					queue.offer(task);
					drop(fullOldestReason);
					return closed ? LATE : TAKEN;
				}
				drop(fullReason);
				return REFUSED;
			}
			if (held.compareAndSet(n, n + 1)) {
				queue.offer(task);
				return closed ? LATE : n + 1;
			}
		}
	}

	/** From now on, what this pipeline would drop because it is shut down goes to {@code next}. */
	void handOverTo(ExportPipeline next) {
		successor = next;
	}

	void close() {
		closed = true;
	}

	boolean isClosed() {
		return closed;
	}

	int held() {
		return held.get();
	}

	/** The worker's side: the next queued task; never peek-then-poll, a DROP_OLDEST producer may take the head in between. */
	@Nullable LoggedTask poll() {
		return queue.poll();
	}

	/** The worker's side: {@code n} tasks held are no longer, whatever became of them. */
	void release(int n) {
		held.addAndGet(-n);
	}

	/**
	 * Settles a task taken from the queue once nothing more is exported: handed over, or dropped.
	 *
	 * @return whether it was dropped
	 */
	boolean settle(LoggedTask task) {
		held.decrementAndGet();
		return !reject(task, SHUT_DOWN);
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
		stats.dropped(1);
		if (dropWarning.due()) {
			Reports.warn(ExportStats.LOG, "phospho: a task was dropped because {}; {} dropped so far", reason,
					stats.dropped());
		}
	}
}

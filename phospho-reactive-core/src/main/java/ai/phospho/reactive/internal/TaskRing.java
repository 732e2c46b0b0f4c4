package ai.phospho.reactive.internal;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

import ai.phospho.reactive.LoggedTask;
import org.jspecify.annotations.Nullable;

/**
 * The bounded queue of {@link Admission} and its count held in one, for {@code DROP_NEWEST} and a
 * bound of at most {@link #MAX_BOUND}: an array ring that allocates nothing per task, in which a
 * producer takes its place in the bound and in the queue with one CAS. Many producers, one consumer
 * at a time: the export worker's thread, or a producer's once it is gone, as the worker's work
 * counter keeps them (with the counter's ordering between them). {@code DROP_OLDEST} has producers
 * take the head too, and keeps a linked queue.
 *
 * <p>Three counters, each only growing: {@code admitted} (places taken by producers, the tail),
 * {@code taken} (places taken by the consumer, the head) and {@code released} (tasks no longer held:
 * their export is over, or they were settled). The count held is {@code admitted - released}: queued
 * or being exported, as {@link Admission} counts it.
 *
 * <p>Each slot has a turn (D. Vyukov's bounded queue): the slot of place {@code p} is the producers'
 * when its turn is {@code p}, the consumer's when it is {@code p + 1}; the consumer gives it back for
 * place {@code p + capacity}. A producer reads {@code admitted}, then {@code released}: if
 * {@code admitted - released} is the bound, the ring was full when {@code released} was read (both
 * only grow). Otherwise it CASes {@code admitted} from {@code p} to {@code p + 1}, so the count held
 * never exceeds the bound, even briefly ({@code released} can only have grown since it was read),
 * then stores its task and hands the slot to the consumer. Its slot is free by then: the capacity is
 * at least the bound and {@code p - released < bound}, so more tasks were released than
 * {@code p - capacity}; every released task was taken first, by the one consumer, in order, and
 * given back before the release that the producer read (its release is later in the consumer's
 * order), so place {@code p - capacity} was taken and its slot given back.
 *
 * <p>The consumer reads the slot at {@code taken}: not its turn means the ring is empty there, or its
 * producer has taken the place and not yet stored the task; {@link #poll()} then answers
 * {@code null}, as a linked queue would before that producer's offer (the worker looks again
 * shortly, see {@code ExportWorker#retryLater}).
 */
final class TaskRing {

	/** The largest bound a ring is made for: its arrays are allocated whole, up front. */
	static final int MAX_BOUND = 1 << 16;

	/** The counters, each on a cache line of its own (producers, consumers and releases apart). */
	private static final int ADMITTED = 16;
	private static final int TAKEN = 32;
	private static final int RELEASED = 48;

	private final int bound;
	private final int capacity;
	private final int mask;
	private final AtomicReferenceArray<@Nullable LoggedTask> tasks;
	private final AtomicLongArray turns;
	private final AtomicLongArray counters = new AtomicLongArray(RELEASED + 16);

	TaskRing(int bound) {
		if (bound < 1 || bound > MAX_BOUND) {
			throw new IllegalArgumentException("bound " + bound);
		}
		this.bound = bound;
		// A power of two, and at least 2: with one slot a turn could not tell its producer from its consumer.
		this.capacity = Math.max(2, Integer.highestOneBit(bound - 1) << 1);
		this.mask = capacity - 1;
		this.tasks = new AtomicReferenceArray<>(capacity);
		this.turns = new AtomicLongArray(capacity);
		for (int i = 0; i < capacity; i++) {
			turns.setPlain(i, i);
		}
	}

	/**
	 * Queues {@code task} unless the bound is reached; from any thread.
	 *
	 * @return the count held once it was queued (at least 1), or 0 when the ring was full
	 */
	int offer(LoggedTask task) {
		for (;;) {
			long p = counters.get(ADMITTED);
			long released = counters.get(RELEASED);
			if (p - released >= bound) {
				return 0;
			}
			int i = (int) p & mask;
			long turn = turns.get(i);
			if (turn == p) {
				if (counters.compareAndSet(ADMITTED, p, p + 1)) {
					tasks.setPlain(i, task);
					turns.setRelease(i, p + 1);
					return (int) (p + 1 - released);
				}
			}
			// turn > p: another producer took place p; look again. (turn < p, the slot not given back
			// yet, cannot be: see the class's comment.)
		}
	}

	/** The consumer's side: the task at the head, or {@code null} when none is queued there (yet). */
	@Nullable LoggedTask poll() {
		long c = counters.getPlain(TAKEN);
		int i = (int) c & mask;
		if (turns.get(i) != c + 1) {
			return null;
		}
		LoggedTask t = tasks.getPlain(i);
		tasks.setPlain(i, null);
		turns.setRelease(i, c + capacity);
		counters.setRelease(TAKEN, c + 1);
		return t;
	}

	/** {@code n} tasks held are no longer held. */
	void release(int n) {
		counters.getAndAdd(RELEASED, n);
	}

	/**
	 * Queued or being exported. Admitted is read first: a release in between can only make the answer
	 * smaller, never above the bound (nor below 0). It counts every task admitted before the call and
	 * not yet released, less those released meanwhile (a flush's target, see {@code ExportWorker}).
	 */
	int held() {
		long admitted = counters.get(ADMITTED);
		return (int) Math.max(0, admitted - counters.get(RELEASED));
	}
}

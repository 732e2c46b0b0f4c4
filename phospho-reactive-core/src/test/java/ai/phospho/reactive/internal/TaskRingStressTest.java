package ai.phospho.reactive.internal;

import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.TestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real threads on a {@link TaskRing} as the export worker uses it: producers racing one consumer at
 * a time that holds what it took "in flight" for a while before releasing it, an observer reading
 * {@code held()} throughout; with bounds that are not powers of two, counters started just below
 * 2^31 and 2^32 (where an {@code int} would wrap), and the consumer's role passed between threads
 * under a work counter as the worker's is once its thread is gone.
 */
class TaskRingStressTest {

	private static final int PRODUCERS = 3;

	/** Each task, made once: its producer and its rank among that producer's tasks. */
	private static final class Made {
		final LoggedTask[] tasks;
		final Map<LoggedTask, int[]> origin = new IdentityHashMap<>();

		Made(int perProducer) {
			tasks = new LoggedTask[PRODUCERS * perProducer];
			LoggedTask proto = TestSupport.task("in", "out");
			for (int p = 0; p < PRODUCERS; p++) {
				for (int i = 0; i < perProducer; i++) {
					// Each a distinct object: the ring tells tasks by identity only.
					LoggedTask t = proto.toBuilder().input("in " + p + " " + i).build();
					tasks[p * perProducer + i] = t;
					origin.put(t, new int[] {p, i});
				}
			}
		}
	}

	/**
	 * Starts the ring's three counters (and the slots' turns, consistently) at {@code start}, as if
	 * {@code start} tasks had been offered, taken and released already.
	 */
	private static TaskRing startedAt(int bound, long start) throws ReflectiveOperationException {
		TaskRing ring = new TaskRing(bound);
		AtomicLongArray counters = (AtomicLongArray) field("counters").get(ring);
		AtomicLongArray turns = (AtomicLongArray) field("turns").get(ring);
		int capacity = turns.length();
		for (int i = 0; i < capacity; i++) {
			// The first place at or after start whose slot is i: the producers' turn there.
			long p = start + ((i - start) & (capacity - 1));
			turns.set(i, p);
		}
		for (String c : new String[] {"ADMITTED", "TAKEN", "RELEASED"}) {
			Field f = field(c);
			counters.set(f.getInt(null), start);
		}
		return ring;
	}

	private static Field field(String name) throws NoSuchFieldException {
		Field f = TaskRing.class.getDeclaredField(name);
		f.setAccessible(true);
		return f;
	}

	/** The outcome of one race. */
	private record Outcome(int taken, int refused, int duplicates, int outOfOrder, int overBound, int belowZero,
			int heldAfter, boolean finished) {
	}

	/**
	 * Producers offer every task; one consumer at a time polls, keeps up to {@code inFlight} tasks
	 * taken before releasing them (in batches of {@code releaseBatch}), as exports in flight; an
	 * observer reads {@code held()}. With {@code handOff}, the consumer's role is taken by whichever of
	 * two threads wins a work counter, as {@code ExportWorker} passes it.
	 */
	private static Outcome race(TaskRing ring, int bound, int perProducer, int inFlight, int releaseBatch,
			boolean handOff) throws InterruptedException {
		Made made = new Made(perProducer);
		AtomicInteger refused = new AtomicInteger();
		AtomicInteger overBound = new AtomicInteger();
		AtomicInteger belowZero = new AtomicInteger();
		AtomicBoolean producing = new AtomicBoolean(true);
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> producers = new ArrayList<>();
		for (int p = 0; p < PRODUCERS; p++) {
			int first = p * perProducer;
			producers.add(new Thread(() -> {
				await(start);
				for (int i = first; i < first + perProducer; i++) {
					int n = ring.offer(made.tasks[i]);
					if (n == 0) {
						refused.incrementAndGet();
					}
					else if (n > bound) {
						overBound.incrementAndGet();
					}
				}
			}, "producer-" + p));
		}
		Thread observer = new Thread(() -> {
			await(start);
			while (producing.get()) {
				int h = ring.held();
				if (h > bound) {
					overBound.incrementAndGet();
				}
				if (h < 0) {
					belowZero.incrementAndGet();
				}
			}
		}, "observer");

		// The consumer's state, handed from thread to thread under the work counter (its CAS orders it).
		AtomicInteger wip = new AtomicInteger();
		ArrayDeque<LoggedTask> held = new ArrayDeque<>();
		Map<LoggedTask, Boolean> seen = new IdentityHashMap<>();
		int[] lastRank = new int[PRODUCERS];
		java.util.Arrays.fill(lastRank, -1);
		int[] counts = new int[3]; // taken, duplicates, out of order
		AtomicInteger releasedTotal = new AtomicInteger();
		Runnable consumeSome = () -> {
			for (int k = 0; k < 64; k++) {
				LoggedTask t = ring.poll();
				if (t != null) {
					counts[0]++;
					if (seen.put(t, Boolean.TRUE) != null) {
						counts[1]++;
					}
					int[] o = made.origin.get(t);
					if (o == null || o[1] <= lastRank[o[0]]) {
						counts[2]++;
					}
					else {
						lastRank[o[0]] = o[1];
					}
					held.add(t);
				}
				if (t == null || held.size() >= inFlight) {
					int n = Math.min(held.size(), t == null ? held.size() : releaseBatch);
					for (int j = 0; j < n; j++) {
						held.poll();
					}
					if (n > 0) {
						ring.release(n);
						releasedTotal.addAndGet(n);
					}
					if (t == null) {
						return;
					}
				}
			}
		};
		AtomicBoolean consuming = new AtomicBoolean(true);
		List<Thread> consumers = new ArrayList<>();
		for (int c = 0; c < (handOff ? 2 : 1); c++) {
			consumers.add(new Thread(() -> {
				await(start);
				while (consuming.get()) {
					if (wip.compareAndSet(0, 1)) {
						try {
							consumeSome.run();
						}
						finally {
							wip.set(0);
						}
					}
					Thread.onSpinWait();
				}
			}, "consumer-" + c));
		}
		producers.forEach(Thread::start);
		observer.start();
		consumers.forEach(Thread::start);
		start.countDown();
		boolean finished = true;
		for (Thread t : producers) {
			t.join(60_000);
			finished &= !t.isAlive();
		}
		producing.set(false);
		observer.join(10_000);
		// Everything offered is queued by now: the consumers take the rest, then stop.
		long deadline = System.nanoTime() + 30_000_000_000L;
		while (ring.held() > 0 && System.nanoTime() < deadline) {
			Thread.sleep(1);
		}
		consuming.set(false);
		for (Thread t : consumers) {
			t.join(10_000);
			finished &= !t.isAlive();
		}
		while (!wip.compareAndSet(0, 1)) {
			Thread.onSpinWait();
		}
		return new Outcome(counts[0], refused.get(), counts[1], counts[2], overBound.get(), belowZero.get(),
				ring.held(), finished);
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	private static void check(Outcome o, int perProducer, String what) {
		assertThat(o.finished()).as("%s: every thread ended (no producer spun for ever)", what).isTrue();
		assertThat(o.duplicates()).as("%s: taken twice", what).isZero();
		assertThat(o.outOfOrder()).as("%s: a producer's tasks out of its order, or a task not offered", what)
				.isZero();
		assertThat(o.overBound()).as("%s: held above the bound", what).isZero();
		assertThat(o.belowZero()).as("%s: held below zero", what).isZero();
		assertThat(o.heldAfter()).as("%s: held at the end", what).isZero();
		assertThat(o.taken() + o.refused()).as("%s: taken once or refused", what).isEqualTo(PRODUCERS * perProducer);
	}

	@Test
	void boundsOfAnySizeKeepOrderBoundAndEveryTaskWithTasksHeldInFlight() throws Exception {
		for (int bound : new int[] {1, 2, 3, 5, 7, 100, 1000, 4097}) {
			for (int inFlight : new int[] {1, Math.max(1, bound / 2), bound}) {
				String what = "bound " + bound + ", in flight " + inFlight;
				check(race(new TaskRing(bound), bound, 20_000, inFlight, Math.max(1, inFlight / 3), false), 20_000, what);
			}
		}
	}

	@Test
	void theConsumersRolePassedBetweenThreadsUnderAWorkCounterLosesNothing() throws Exception {
		for (int bound : new int[] {1, 3, 64}) {
			check(race(new TaskRing(bound), bound, 20_000, Math.max(1, bound / 2), 2, true), 20_000,
					"hand-off, bound " + bound);
		}
	}

	/** The counters are longs: past 2^31 and 2^32 offers nothing changes (an int would wrap there). */
	@Test
	void countersPastTwoToTheThirtyOneAndThirtyTwoWrapNothing() throws Exception {
		for (long start : new long[] {Integer.MAX_VALUE - 20_000L, (1L << 32) - 20_000L, Long.MAX_VALUE / 2 - 3}) {
			for (int bound : new int[] {1, 3, 8, 100}) {
				TaskRing ring = startedAt(bound, start);
				assertThat(ring.held()).isZero();
				// Sequentially first: the offers' counts, the order and the bound, round after round.
				Made made = new Made(bound + 1);
				for (int round = 0; round < 3; round++) {
					for (int i = 0; i < bound; i++) {
						assertThat(ring.offer(made.tasks[i])).isEqualTo(i + 1);
					}
					assertThat(ring.offer(made.tasks[bound])).isZero();
					for (int i = 0; i < bound; i++) {
						assertThat(ring.poll()).isSameAs(made.tasks[i]);
					}
					assertThat(ring.poll()).isNull();
					ring.release(bound);
				}
				String what = "start " + start + ", bound " + bound;
				check(race(ring, bound, 15_000, Math.max(1, bound / 2), 1, false), 15_000, what);
			}
		}
	}

	/** A slot given back holds no task: the ring keeps nothing of what the consumer took. */
	@Test
	void aTakenTasksSlotNoLongerReferencesIt() throws Exception {
		TaskRing ring = new TaskRing(5);
		Made made = new Made(5);
		for (int i = 0; i < 5; i++) {
			ring.offer(made.tasks[i]);
		}
		for (int i = 0; i < 5; i++) {
			ring.poll();
		}
		@SuppressWarnings("unchecked")
		java.util.concurrent.atomic.AtomicReferenceArray<LoggedTask> slots =
				(java.util.concurrent.atomic.AtomicReferenceArray<LoggedTask>) field("tasks").get(ring);
		for (int i = 0; i < slots.length(); i++) {
			assertThat(slots.get(i)).as("slot %d", i).isNull();
		}
	}
}

package ai.phospho.reactive.internal;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.TestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The ring of {@link Admission}: its bound, its order, and real threads racing on it. */
class TaskRingTest {

	private static List<LoggedTask> tasks(int n) {
		List<LoggedTask> out = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			out.add(TestSupport.task("in " + i, "out"));
		}
		return out;
	}

	@Test
	void holdsUpToItsBoundInOrderAndCountsTasksHeldUntilReleased() {
		for (int bound : new int[] {1, 2, 3, 5, 8, 100}) {
			TaskRing ring = new TaskRing(bound);
			List<LoggedTask> tasks = tasks(bound + 1);
			for (int round = 0; round < 3; round++) {
				for (int i = 0; i < bound; i++) {
					assertThat(ring.offer(tasks.get(i))).as("bound %d", bound).isEqualTo(i + 1);
				}
				assertThat(ring.offer(tasks.get(bound))).as("bound %d, full", bound).isZero();
				for (int i = 0; i < bound; i++) {
					assertThat(ring.poll()).isSameAs(tasks.get(i));
				}
				assertThat(ring.poll()).isNull();
				// Taken but not released: still held, so still full.
				assertThat(ring.held()).isEqualTo(bound);
				assertThat(ring.offer(tasks.get(bound))).isZero();
				ring.release(bound);
				assertThat(ring.held()).isZero();
			}
		}
	}

	@Test
	void aReleaseMakesRoomForOneMore() {
		TaskRing ring = new TaskRing(3);
		List<LoggedTask> tasks = tasks(5);
		for (int i = 0; i < 3; i++) {
			ring.offer(tasks.get(i));
		}
		assertThat(ring.poll()).isSameAs(tasks.get(0));
		ring.release(1);
		assertThat(ring.offer(tasks.get(3))).isEqualTo(3);
		assertThat(ring.offer(tasks.get(4))).isZero();
		assertThat(ring.poll()).isSameAs(tasks.get(1));
		assertThat(ring.poll()).isSameAs(tasks.get(2));
		assertThat(ring.poll()).isSameAs(tasks.get(3));
		assertThat(ring.poll()).isNull();
	}

	/**
	 * Producers racing one consumer that releases what it took, as the worker does: every task
	 * offered is taken once or refused, and the count held never exceeds the bound.
	 */
	@Test
	void producersRacingOneConsumerLoseNothingAndStayBounded() throws InterruptedException {
		for (int bound : new int[] {1, 3, 16}) {
			race(bound);
		}
	}

	private static void race(int bound) throws InterruptedException {
		int perProducer = 10_000;
		int producers = 3;
		TaskRing ring = new TaskRing(bound);
		Map<LoggedTask, Boolean> taken = new ConcurrentHashMap<>();
		AtomicInteger duplicates = new AtomicInteger();
		AtomicInteger refused = new AtomicInteger();
		AtomicInteger overBound = new AtomicInteger();
		AtomicBoolean done = new AtomicBoolean();
		List<LoggedTask> all = tasks(producers * perProducer);
		List<Thread> threads = new ArrayList<>();
		for (int p = 0; p < producers; p++) {
			List<LoggedTask> mine = all.subList(p * perProducer, (p + 1) * perProducer);
			threads.add(new Thread(() -> {
				for (LoggedTask t : mine) {
					int held = ring.offer(t);
					if (held > bound || ring.held() > bound) {
						overBound.incrementAndGet();
					}
					if (held == 0) {
						refused.incrementAndGet();
					}
				}
			}));
		}
		Thread consumer = new Thread(() -> {
			List<LoggedTask> batch = new ArrayList<>();
			while (!done.get() || ring.held() > 0) {
				LoggedTask t = ring.poll();
				if (t != null) {
					if (taken.put(t, Boolean.TRUE) != null) {
						duplicates.incrementAndGet();
					}
					batch.add(t);
				}
				if (t == null || batch.size() == 4) {
					ring.release(batch.size());
					batch.clear();
				}
			}
		});
		consumer.start();
		threads.forEach(Thread::start);
		for (Thread t : threads) {
			t.join();
		}
		done.set(true);
		consumer.join(30_000);

		assertThat(consumer.isAlive()).isFalse();
		assertThat(duplicates.get()).isZero();
		assertThat(overBound.get()).isZero();
		assertThat(ring.held()).isZero();
		assertThat(refused.get()).isPositive();
		Map<LoggedTask, Boolean> offered = new IdentityHashMap<>();
		all.forEach(t -> offered.put(t, Boolean.TRUE));
		assertThat(offered.keySet()).containsAll(taken.keySet());
		// Each task was queued, then taken once, or refused.
		assertThat(taken.size() + refused.get()).isEqualTo(all.size());
	}
}

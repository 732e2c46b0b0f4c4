package ai.phospho.reactive;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import ai.phospho.reactive.export.ExportResult;
import ai.phospho.reactive.export.TaskExporter;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.util.RaceTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

class OverflowPolicyRaceTest {

	/** Exports slowly and remembers every task id it was given, and the most tasks held at once. */
	private static final class SlowExporter implements TaskExporter {
		final Set<String> ids = ConcurrentHashMap.newKeySet();
		final AtomicInteger duplicates = new AtomicInteger();

		@Override
		public Mono<ExportResult> export(List<LoggedTask> batch) {
			for (LoggedTask t : batch) {
				if (!ids.add(t.taskId())) {
					duplicates.incrementAndGet();
				}
			}
			return Mono.delay(Duration.ofMillis(1)).thenReturn(ExportResult.accepted(batch.size()));
		}
	}

	private static void raceProducers(PhosphoOptions.OverflowPolicy policy) {
		SlowExporter exporter = new SlowExporter();
		PhosphoClient client = PhosphoClient.create(PhosphoOptions.builder().exporter(exporter)
				.maxQueueSize(64).maxBatchSize(16).lingerDelay(Duration.ofMillis(5))
				.overflowPolicy(policy).shutdownHook(false).build());
		AtomicInteger maxHeld = new AtomicInteger();
		Runnable producer = () -> {
			for (int i = 0; i < 5_000; i++) {
				client.log("in", "out");
				maxHeld.accumulateAndGet((int) client.stats().queued(), Math::max);
			}
		};
		RaceTestUtils.race(producer, producer, producer, producer);
		StepVerifier.create(client.shutdown()).expectComplete().verify(Duration.ofSeconds(10));

		PhosphoStats stats = client.stats();
		assertThat(maxHeld.get()).isLessThanOrEqualTo(64);
		assertThat(exporter.duplicates.get()).isZero();
		assertThat(stats.exported()).isEqualTo(exporter.ids.size());
		assertThat(stats.exported() + stats.dropped()).isEqualTo(20_000);
		assertThat(stats.dropped()).isPositive();
		assertThat(stats.queued()).isZero();
	}

	/**
	 * Producers on a full queue racing {@code shutdown()}: a task admitted late (after the close) must
	 * be settled by whoever drains next, under either policy, so nothing is left queued.
	 */
	private static void raceShutdown(PhosphoOptions.OverflowPolicy policy) {
		for (int round = 0; round < 150; round++) {
			PhosphoClient client = PhosphoClient.create(PhosphoOptions.builder()
					.exporter(batch -> Mono.delay(Duration.ofMillis(1)).thenReturn(ExportResult.accepted(batch.size())))
					.maxQueueSize(8).maxBatchSize(4).maxConcurrentExports(1).overflowPolicy(policy)
					.shutdownHook(false).build());
			AtomicInteger logged = new AtomicInteger();
			Runnable producer = () -> {
				for (int i = 0; i < 30; i++) {
					client.log("in", "out");
					logged.incrementAndGet();
				}
			};
			RaceTestUtils.race(producer, producer, () -> client.shutdown().block(Duration.ofSeconds(10)));
			StepVerifier.create(client.shutdown()).expectComplete().verify(Duration.ofSeconds(10));

			PhosphoStats stats = client.stats();
			assertThat(stats.queued()).as("round %d: %s", round, stats).isZero();
			assertThat(stats.exported() + stats.dropped() + stats.failed() + stats.rejected())
					.as("round %d: %s", round, stats).isEqualTo(logged.get());
		}
	}

	@Test
	void dropOldestProducersRacingShutdownLeaveNothingQueuedAndEveryTaskCounted() {
		raceShutdown(PhosphoOptions.OverflowPolicy.DROP_OLDEST);
	}

	@Test
	void dropNewestProducersRacingShutdownLeaveNothingQueuedAndEveryTaskCounted() {
		raceShutdown(PhosphoOptions.OverflowPolicy.DROP_NEWEST);
	}

	@Test
	void dropOldestUnderRacingProducersStaysBoundedAndAccountsForEveryTask() {
		raceProducers(PhosphoOptions.OverflowPolicy.DROP_OLDEST);
	}

	@Test
	void dropNewestUnderRacingProducersStaysBoundedAndAccountsForEveryTask() {
		raceProducers(PhosphoOptions.OverflowPolicy.DROP_NEWEST);
	}
	/**
	 * DROP_OLDEST with a full queue: producers take the head and queue their own task in its place,
	 * so for a moment the queue holds fewer tasks than are counted, over and over for seconds. That
	 * is not a place lost: the worker must never give one up (count a task as failed) in normal
	 * operation, with a batch smaller than the queue (many drains) or larger (drains on ticks only).
	 */
	@Test
	void dropOldestSwapsWithAFullQueueForSecondsGiveUpNoPlaces() throws Exception {
		for (int maxBatchSize : new int[] {2, 512}) {
			RecordingExporter exporter = RecordingExporter.counting();
			PhosphoClient client = PhosphoClient.create(PhosphoOptions.builder().exporter(exporter)
					.maxQueueSize(4).maxBatchSize(maxBatchSize).maxConcurrentExports(2).lingerDelay(Duration.ofMillis(2))
					.overflowPolicy(PhosphoOptions.OverflowPolicy.DROP_OLDEST).shutdownHook(false).build());
			long end = System.nanoTime() + Duration.ofMillis(1500).toNanos();
			AtomicInteger logged = new AtomicInteger();
			List<Thread> producers = new java.util.ArrayList<>();
			for (int p = 0; p < 4; p++) {
				Thread t = new Thread(() -> {
					while (System.nanoTime() < end) {
						client.log("in", "out");
						logged.incrementAndGet();
					}
				});
				t.start();
				producers.add(t);
			}
			for (Thread t : producers) {
				t.join();
			}
			client.flush().block(Duration.ofSeconds(10));

			PhosphoStats stats = client.stats();
			assertThat(stats.failed()).as("maxBatchSize %d: %s", maxBatchSize, stats).isZero();
			assertThat(String.valueOf(stats.lastError())).doesNotContain("places");
			assertThat(stats.queued()).as("%s", stats).isZero();
			assertThat(stats.exported() + stats.dropped()).as("%s", stats).isEqualTo(logged.get());
			client.shutdown().block(Duration.ofSeconds(10));
		}
	}
}

package ai.phospho.reactive.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.PhosphoStats;
import ai.phospho.reactive.TestSupport;
import ai.phospho.reactive.export.ExportResult;
import ai.phospho.reactive.export.TaskExporter;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.util.RaceTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Producers racing a re-initialisation on pipelines of small bounds (one a bound of 1), with
 * {@code DROP_NEWEST}: the old pipeline hands over to a successor and shuts down while they offer. Every task is exported once (by either) or counted as dropped once, and nothing is
 * left held.
 */
class HandOverRaceTest {

	/** Remembers every task it exported, and any it was given twice (by either pipeline). */
	private static final class Recording implements TaskExporter {
		final Map<LoggedTask, Boolean> seen;
		final AtomicInteger duplicates;

		Recording(Map<LoggedTask, Boolean> seen, AtomicInteger duplicates) {
			this.seen = seen;
			this.duplicates = duplicates;
		}

		@Override
		public Mono<ExportResult> export(List<LoggedTask> batch) {
			for (LoggedTask t : batch) {
				if (seen.put(t, Boolean.TRUE) != null) {
					duplicates.incrementAndGet();
				}
			}
			return Mono.delay(Duration.ofMillis(1)).thenReturn(ExportResult.accepted(batch.size()));
		}
	}

	@Test
	void producersRacingAHandOverAndShutdownLoseNothingAndCountEveryTaskOnce() {
		LoggedTask proto = TestSupport.task("in", "out");
		for (int bound : new int[] {1, 2, 5}) {
			for (int round = 0; round < 60; round++) {
				Map<LoggedTask, Boolean> seen = new ConcurrentHashMap<>();
				AtomicInteger duplicates = new AtomicInteger();
				PhosphoOptions options = TestSupport.options(new Recording(seen, duplicates)).maxQueueSize(bound)
						.maxBatchSize(2).maxConcurrentExports(1).lingerDelay(Duration.ofMillis(2)).build();
				ExportPipeline old = new ExportPipeline(new Recording(seen, duplicates), options);
				ExportPipeline next = new ExportPipeline(new Recording(seen, duplicates), options);
				AtomicInteger offered = new AtomicInteger();
				Runnable producer = () -> {
					for (int i = 0; i < 40; i++) {
						// A distinct object each: the exporters tell tasks by identity.
						old.offer(proto.toBuilder().input("in " + i).build());
						offered.incrementAndGet();
					}
				};
				RaceTestUtils.race(producer, producer, () -> {
					old.handOverTo(next);
					old.shutdown().block(Duration.ofSeconds(10));
				});
				old.shutdown().block(Duration.ofSeconds(10));
				next.shutdown().block(Duration.ofSeconds(10));

				PhosphoStats a = old.stats();
				PhosphoStats b = next.stats();
				String what = "bound " + bound + ", round " + round + ": " + a + " / " + b;
				assertThat(duplicates.get()).as(what).isZero();
				assertThat(a.queued()).as(what).isZero();
				assertThat(b.queued()).as(what).isZero();
				assertThat(a.exported() + b.exported()).as(what).isEqualTo(seen.size());
				assertThat(a.exported() + a.dropped() + a.failed() + b.exported() + b.dropped() + b.failed())
						.as(what).isEqualTo(offered.get());
			}
		}
	}
}

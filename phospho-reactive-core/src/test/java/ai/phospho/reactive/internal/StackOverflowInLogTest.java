package ai.phospho.reactive.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.PhosphoStats;
import ai.phospho.reactive.TestSupport;
import ai.phospho.reactive.export.ExportResult;
import ai.phospho.reactive.export.TaskExporter;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code log} called at the end of a deep stack (a recursive caller, a long operator chain) may
 * run out of stack inside the pipeline's {@code offer}, and the application may catch the error and
 * carry on: the pipeline must go on exporting what is offered after it, and a flush must complete.
 *
 * <p>Found by the review of issue 18's part 4: an array ring (one CAS per offer) left the place of a
 * producer stopped between its CAS and its publish unpublished for ever, and its consumer took
 * nothing after it (0 of about 360 held tasks could be taken); the ring was taken out. With the
 * linked queue, such an error between the count's CAS and the queue's offer left a count without
 * its task: a place of the bound lost, and a flush target no flush could reach (every later flush
 * waited for ever). The admission cannot undo its count when the offer throws (the queue may have
 * linked the task before the error), so the worker gives such a place up after a second.
 */
class StackOverflowInLogTest {

	/** Counts what it exports. */
	private static final class Counting implements TaskExporter {
		final AtomicLong exported = new AtomicLong();

		@Override
		public Mono<ExportResult> export(List<LoggedTask> batch) {
			exported.addAndGet(batch.size());
			return Mono.just(ExportResult.accepted(batch.size()));
		}
	}

	/** Recurses to the end of the stack, then offers a task from every frame on the way back. */
	private static int offers(ExportPipeline pipeline, LoggedTask t, int depth) {
		int made = 0;
		if (depth < 1_000_000) {
			try {
				made = offers(pipeline, t, depth + 1);
			}
			catch (StackOverflowError end) {
				// The end of the stack: offer from here on the way back.
			}
		}
		try {
			if (pipeline.offer(t)) {
				made++;
			}
		}
		catch (StackOverflowError inOffer) {
			// This offer ran out of stack: before the count's CAS, or after it; its task is not
			// counted as offered (the pipeline may have counted it as failed, or queued it).
		}
		return made;
	}

	@Test
	void offersThatRanOutOfStackDoNotStopThePipeline() throws InterruptedException {
		LoggedTask t = TestSupport.task("in", "out");
		Counting exporter = new Counting();
		PhosphoOptions options = TestSupport.options(exporter).maxQueueSize(10_000).build();
		ExportPipeline pipeline = new ExportPipeline(exporter, options);
		AtomicLong offered = new AtomicLong();
		try {
			for (int attempt = 0; attempt < 4; attempt++) {
				Thread deep = new Thread(null, () -> offered.addAndGet(offers(pipeline, t, 0)), "deep", 1 << 16);
				deep.start();
				deep.join();
				// A task offered afterwards, from a thread with room, is exported, and a flush completes.
				long before = exporter.exported.get();
				assertThat(pipeline.offer(t)).as("attempt %d", attempt).isTrue();
				offered.incrementAndGet();
				long end = System.nanoTime() + 5_000_000_000L;
				while (exporter.exported.get() == before && System.nanoTime() < end) {
					Thread.sleep(10);
				}
				assertThat(exporter.exported.get()).as("attempt %d", attempt).isGreaterThan(before);
				// A flush completes: a place counted for a task that never reached the queue is given up
				// after a second, counted as failed.
				pipeline.flush().block(Duration.ofSeconds(10));
				PhosphoStats s = pipeline.stats();
				assertThat(s.queued()).as("attempt %d: %s", attempt, s).isZero();
				// Every offer that returned is exported or failed (an offer that threw after queuing its
				// task may be exported too, so not an equality).
				assertThat(s.exported() + s.failed()).as("attempt %d: %s", attempt, s).isGreaterThanOrEqualTo(offered.get());
				assertThat(s.exported()).as("attempt %d: %s", attempt, s).isGreaterThanOrEqualTo(offered.get() - s.failed());
			}
		}
		finally {
			pipeline.shutdown().block(Duration.ofSeconds(10));
		}
	}

	/**
	 * The other window: the worker's wake-up, where a producer takes the work counter from 0 and then
	 * schedules the drain. Stopped in between, it would leave the counter held and the worker asleep
	 * for good (every later wake-up sees the counter held). Made here by taking the counter as that
	 * producer would and not scheduling: the ticks find it held over two of them with no drain, and
	 * drain in its place.
	 */
	@Test
	void aWakeUpLostBetweenTheCounterAndTheScheduleIsRecoveredByTheTicks() throws Exception {
		Counting exporter = new Counting();
		PhosphoOptions options = TestSupport.options(exporter).lingerDelay(java.time.Duration.ofMillis(20)).build();
		ExportPipeline pipeline = new ExportPipeline(exporter, options);
		try {
			java.lang.reflect.Field workerField = ExportPipeline.class.getDeclaredField("worker");
			workerField.setAccessible(true);
			java.lang.reflect.Field wipField = ExportWorker.class.getDeclaredField("wip");
			wipField.setAccessible(true);
			java.util.concurrent.atomic.AtomicInteger wip = (java.util.concurrent.atomic.AtomicInteger) wipField
					.get(workerField.get(pipeline));
			// Taken from 0 by a producer that never scheduled (the worker is idle, so it is 0 now).
			long end = System.nanoTime() + 5_000_000_000L;
			while (!wip.compareAndSet(0, 1)) {
				assertThat(System.nanoTime()).as("the worker never went idle").isLessThan(end);
				Thread.onSpinWait();
			}
			for (int i = 0; i < 10; i++) {
				pipeline.offer(TestSupport.task("in " + i, "out"));
			}
			pipeline.flush().block(Duration.ofSeconds(10));
			assertThat(exporter.exported.get()).isEqualTo(10);
			// And the worker goes on as before: woken by producers and flushes again.
			pipeline.offer(TestSupport.task("after", "out"));
			pipeline.flush().block(Duration.ofSeconds(10));
			assertThat(exporter.exported.get()).isEqualTo(11);
			// The counter is free again once the drain that answered the flush has ended (a tick may
			// take it for a moment).
			long free = System.nanoTime() + 5_000_000_000L;
			while (wip.get() != 0 && System.nanoTime() < free) {
				Thread.sleep(1);
			}
			assertThat(wip.get()).isZero();
		}
		finally {
			pipeline.shutdown().block(Duration.ofSeconds(10));
		}
	}
}

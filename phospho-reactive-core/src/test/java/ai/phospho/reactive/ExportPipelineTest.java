package ai.phospho.reactive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;
import reactor.test.util.RaceTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** The bounded queue, the batching worker and flush, through a real client. */
class ExportPipelineTest {

	static final Duration TIMEOUT = Duration.ofSeconds(5);

	@RegisterExtension
	final TestClients clients = new TestClients();

	PhosphoClient client(PhosphoOptionsBuilder options) {
		return clients.create(options);
	}

	static Set<String> ids(List<LoggedTask> tasks) {
		Set<String> ids = new HashSet<>();
		for (LoggedTask t : tasks) {
			ids.add(t.taskId());
		}
		return ids;
	}

	@Test
	void eightThreadsLogAHundredThousandTasksAndNoneIsLost() throws Exception {
		int threads = 8;
		int perThread = 12_500;
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = client(TestSupport.options(exporter).maxQueueSize(threads * perThread));
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				done.add(pool.submit(() -> {
					start.await();
					for (int i = 0; i < perThread; i++) {
						client.log(TaskLog.of("q").output("a").taskId("t-" + thread + "-" + i));
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> f : done) {
				f.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		StepVerifier.create(client.flush()).verifyComplete();

		Set<String> expected = new HashSet<>();
		for (int t = 0; t < threads; t++) {
			for (int i = 0; i < perThread; i++) {
				expected.add("t-" + t + "-" + i);
			}
		}
		List<LoggedTask> exported = exporter.tasks();
		assertThat(exported).hasSize(threads * perThread);
		assertThat(ids(exported)).isEqualTo(expected);
		PhosphoStats stats = client.stats();
		assertThat(stats.exported()).isEqualTo(threads * perThread);
		assertThat(stats.dropped()).isZero();
		assertThat(stats.failed()).isZero();
		assertThat(stats.queued()).isZero();
		assertThat(stats.batches()).isEqualTo(exporter.batches().size());
	}

	@Test
	void aStalledExporterDropsExactlyWhatExceedsTheQueueThenDeliversWhatItHeld() {
		int maxQueue = 10;
		int offers = 25;
		RecordingExporter exporter = RecordingExporter.stalled();
		PhosphoClient client = client(TestSupport.options(exporter).maxQueueSize(maxQueue).maxBatchSize(4));
		List<String> logged = new ArrayList<>();
		for (int i = 0; i < offers; i++) {
			logged.add(client.log("q" + i, "a").taskId());
		}

		assertThat(client.stats().dropped()).isEqualTo(offers - maxQueue);
		assertThat(client.stats().queued()).isEqualTo(maxQueue);

		exporter.release();
		StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);

		assertThat(exporter.tasks()).extracting(LoggedTask::taskId).containsExactlyElementsOf(logged.subList(0, maxQueue));
		PhosphoStats stats = client.stats();
		assertThat(stats.exported()).isEqualTo(maxQueue);
		assertThat(stats.dropped()).isEqualTo(offers - maxQueue);
		assertThat(stats.queued()).isZero();
	}

	@Test
	void racingThreadsOnAStalledExporterDropExactlyWhatExceedsTheQueue() throws Exception {
		int maxQueue = 100;
		int threads = 4;
		int perThread = 1000;
		RecordingExporter exporter = RecordingExporter.stalled();
		PhosphoClient client = client(TestSupport.options(exporter).maxQueueSize(maxQueue).maxBatchSize(16));
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				done.add(pool.submit(() -> {
					start.await();
					for (int i = 0; i < perThread; i++) {
						client.log("q", "a");
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> f : done) {
				f.get(10, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}

		assertThat(client.stats().dropped()).isEqualTo(threads * perThread - maxQueue);
		exporter.release();
		StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);
		assertThat(exporter.tasks()).hasSize(maxQueue);
		assertThat(client.stats().exported()).isEqualTo(maxQueue);
	}

	@Test
	void batchesHoldAtMostMaxBatchSizeTasks() {
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = client(TestSupport.options(exporter).maxBatchSize(7));
		for (int i = 0; i < 50; i++) {
			client.log("q" + i, "a");
		}
		StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);

		assertThat(exporter.batches()).allSatisfy(b -> assertThat(b).hasSizeBetween(1, 7));
		assertThat(exporter.tasks()).extracting(LoggedTask::input).hasSize(50).doesNotHaveDuplicates();
		assertThat(exporter.batches().size()).isGreaterThanOrEqualTo(8);
	}

	@Test
	void batchesHoldAtMostMaxBatchBytes() {
		long maxBytes = 2048;
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = client(TestSupport.options(exporter).maxBatchBytes(maxBytes));
		String text = "y".repeat(300);
		for (int i = 0; i < 40; i++) {
			client.log(text + i, text);
		}
		StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);

		long estimated = 0;
		for (List<LoggedTask> b : exporter.batches()) {
			long size = 2;
			long estimate = 2;
			for (LoggedTask t : b) {
				size += t.json().length + 1;
				estimate += t.estimatedSize() + 1;
			}
			assertThat(size).as("JSON bytes of a batch of %d", b.size()).isLessThanOrEqualTo(maxBytes);
			estimated += estimate;
		}
		assertThat(exporter.tasks()).hasSize(40);
		assertThat(exporter.batches().size()).isGreaterThan(1);
		// Batches are cut by the estimated size, which stats report.
		assertThat(client.stats().bytes()).isEqualTo(estimated);
	}

	@Test
	void aTaskLargerThanMaxBatchBytesGoesAloneInItsBatch() {
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = client(TestSupport.options(exporter).maxBatchBytes(1024));
		client.log("small", "a");
		LoggedTask big = client.log("big", "z".repeat(5000));
		client.log("small again", "a");
		StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);

		assertThat(exporter.tasks()).hasSize(3);
		assertThat(exporter.batches()).filteredOn(b -> b.contains(big)).singleElement()
				.satisfies(b -> assertThat(b).containsExactly(big));
	}

	@Test
	void theLingerDelaySendsAPartialBatchWithoutAFlush() throws InterruptedException {
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = client(TestSupport.options(exporter).lingerDelay(Duration.ofMillis(50)));
		client.log("one", "a");
		client.log("two", "a");
		client.log("three", "a");

		assertThat(exporter.awaitTasks(3, TIMEOUT)).as("exported without flush").isTrue();
		assertThat(exporter.tasks()).extracting(LoggedTask::input).containsExactly("one", "two", "three");
	}

	@Test
	void withoutLingerOrFlushAPartialBatchWaits() throws InterruptedException {
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = client(TestSupport.options(exporter).lingerDelay(Duration.ofMinutes(10)));
		client.log("one", "a");

		assertThat(exporter.awaitTasks(1, Duration.ofMillis(200))).isFalse();
		StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);
		assertThat(exporter.tasks()).hasSize(1);
	}

	@Test
	void flushCompletesOnlyAfterEverythingLoggedBeforeItWasExported() {
		RecordingExporter exporter = RecordingExporter.stalled();
		PhosphoClient client = client(TestSupport.options(exporter).maxBatchSize(3));
		for (int i = 0; i < 10; i++) {
			client.log("q" + i, "a");
		}

		StepVerifier.create(client.flush())
				.expectSubscription()
				.expectNoEvent(Duration.ofMillis(200))
				.then(() -> assertThat(exporter.tasks()).isEmpty())
				.then(exporter::release)
				.expectComplete()
				.verify(TIMEOUT);
		assertThat(exporter.tasks()).hasSize(10);
	}

	@Test
	void flushWaitsForSlowExportsOfEveryBatch() {
		RecordingExporter exporter = RecordingExporter.delayed(Duration.ofMillis(20));
		PhosphoClient client = client(TestSupport.options(exporter).maxBatchSize(10).maxConcurrentExports(2));
		for (int i = 0; i < 95; i++) {
			client.log("q" + i, "a");
		}

		StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);

		assertThat(exporter.tasks()).hasSize(95);
	}

	/** A flush counts a task that a racing log has counted but not queued yet: it must not wait for the linger. */
	@Test
	void aFlushRacingALogCompletesWithoutWaitingForTheLinger() throws Exception {
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = client(TestSupport.options(exporter).lingerDelay(Duration.ofMinutes(10)));
		int rounds = 20_000;
		for (int i = 0; i < rounds; i++) {
			AtomicReference<CompletableFuture<Void>> flush = new AtomicReference<>();
			RaceTestUtils.race(() -> client.log("q", "a"), () -> flush.set(client.flush().toFuture()));
			try {
				flush.get().get(2, TimeUnit.SECONDS);
			}
			catch (TimeoutException e) {
				fail("the flush of round " + i + " did not complete: " + client.stats());
			}
		}
		StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);
		assertThat(exporter.tasks()).hasSize(rounds);
	}

	@Test
	void atMostMaxConcurrentExportsBatchesAreExportedAtOnce() {
		RecordingExporter exporter = RecordingExporter.stalled();
		PhosphoClient client = client(TestSupport.options(exporter).maxBatchSize(1).maxConcurrentExports(3));
		for (int i = 0; i < 30; i++) {
			client.log("q" + i, "a");
		}

		StepVerifier.create(client.flush())
				.expectSubscription()
				.then(() -> awaitCalls(exporter, 3))
				.expectNoEvent(Duration.ofMillis(100))
				.then(() -> assertThat(exporter.calls()).isEqualTo(3))
				.then(() -> assertThat(client.stats().inFlight()).isEqualTo(3))
				.then(exporter::release)
				.expectComplete()
				.verify(TIMEOUT);

		assertThat(exporter.tasks()).hasSize(30);
		assertThat(exporter.calls()).isEqualTo(30);
		assertThat(exporter.maxInFlight()).isEqualTo(3);
	}

	static void awaitCalls(RecordingExporter exporter, int calls) {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (exporter.calls() < calls && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
	}

	@Test
	void flushWithNothingLoggedCompletes() {
		PhosphoClient client = client(TestSupport.options(RecordingExporter.immediate()));

		StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);
	}

}

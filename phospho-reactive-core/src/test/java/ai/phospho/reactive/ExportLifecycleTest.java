package ai.phospho.reactive;

import java.time.Duration;
import java.util.List;

import ai.phospho.reactive.export.ExportResult;
import ai.phospho.reactive.export.PhosphoExportException;
import ai.phospho.reactive.export.TaskExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/** Shutdown, and exporters that fail: counted, never seen by the caller. */
class ExportLifecycleTest {

	static final Duration TIMEOUT = Duration.ofSeconds(5);

	@RegisterExtension
	final TestClients clients = new TestClients();

	PhosphoClient client(PhosphoOptionsBuilder options) {
		return clients.create(options);
	}

	@Test
	void everyTaskLoggedWhileShuttingDownIsEitherExportedOrCountedAsDropped() {
		for (int round = 0; round < 300; round++) {
			RecordingExporter exporter = RecordingExporter.immediate();
			PhosphoClient client = PhosphoClient.create(TestSupport.options(exporter).build());
			int[] logged = {0};
			reactor.test.util.RaceTestUtils.race(
					() -> {
						for (int i = 0; i < 20; i++) {
							client.log("q" + i, "a");
							logged[0]++;
						}
					},
					() -> client.shutdown().block(TIMEOUT));
			client.shutdown().block(TIMEOUT);

			PhosphoStats stats = client.stats();
			assertThat(stats.exported() + stats.dropped()).as("round %d: %s", round, stats).isEqualTo(logged[0]);
			assertThat(stats.queued()).as("round %d", round).isZero();
			assertThat(exporter.tasks()).hasSize((int) stats.exported());
		}
	}

	@Test
	void flushAfterShutdownCompletes() {
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = client(TestSupport.options(exporter));
		client.log("q", "a");
		StepVerifier.create(client.shutdown()).expectComplete().verify(TIMEOUT);
		client.log("late", "a");

		StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);
		assertThat(exporter.tasks()).hasSize(1);
	}

	@Test
	void aShutdownTimeoutCancelsTheExportInFlightAndCountsWhatWasHeld() {
		List<Boolean> cancelled = new java.util.concurrent.CopyOnWriteArrayList<>();
		java.util.concurrent.CountDownLatch exporting = new java.util.concurrent.CountDownLatch(1);
		PhosphoClient client = client(TestSupport.options(batch -> Mono.<ExportResult>never()
				.doOnSubscribe(s -> exporting.countDown())
				.doOnCancel(() -> cancelled.add(true))).shutdownTimeout(Duration.ofMillis(200)));
		client.log("a", "1");
		client.log("b", "2");
		client.flush().subscribe();
		// The export is in flight (the exporter is called on a thread of its own) before the shutdown.
		assertThat(await(exporting)).isTrue();

		StepVerifier.create(client.shutdown()).expectComplete().verify(TIMEOUT);

		assertThat(cancelled).containsExactly(true);
		assertThat(client.stats().dropped()).isEqualTo(2);
		assertThat(client.stats().queued()).isZero();
		assertThat(client.stats().inFlight()).isZero();
		StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);
	}

	/**
	 * The batch the worker cut ahead, waiting for the one slot, is never started by a shutdown that
	 * times out, and is counted as dropped with the one in flight and the one still queued.
	 */
	@Test
	void aShutdownTimeoutCountsTheBatchWaitingForASlotAsDroppedWithoutStartingIt() {
		java.util.concurrent.atomic.AtomicInteger exports = new java.util.concurrent.atomic.AtomicInteger();
		java.util.concurrent.CountDownLatch exporting = new java.util.concurrent.CountDownLatch(1);
		PhosphoClient client = client(TestSupport.options(batch -> Mono.<ExportResult>never()
				.doOnSubscribe(s -> {
					exports.incrementAndGet();
					exporting.countDown();
				}))
				.maxBatchSize(1).maxConcurrentExports(1).shutdownTimeout(Duration.ofMillis(200)));
		client.log("a", "1");
		client.log("b", "2");
		client.log("c", "3");
		client.flush().subscribe();
		assertThat(await(exporting)).isTrue();

		StepVerifier.create(client.shutdown()).expectComplete().verify(TIMEOUT);

		assertThat(exports).hasValue(1);
		assertThat(client.stats().dropped()).isEqualTo(3);
		assertThat(client.stats().queued()).isZero();
		assertThat(client.stats().inFlight()).isZero();
	}

	@Test
	void shutdownGivesUpOnAStalledExporterAfterTheShutdownTimeout() {
		RecordingExporter exporter = RecordingExporter.stalled();
		PhosphoClient client = client(TestSupport.options(exporter).shutdownTimeout(Duration.ofMillis(100)));
		client.log("q", "a");

		StepVerifier.create(client.shutdown()).expectComplete().verify(TIMEOUT);

		assertThat(exporter.wasShutdown()).isTrue();
		assertThat(exporter.tasks()).isEmpty();
		// The task given up on is counted, not left held.
		assertThat(client.stats().queued()).isZero();
		assertThat(client.stats().dropped()).isEqualTo(1);
	}

	@Test
	void shutdownDeliversEverythingQueuedAndLaterLogsAreDroppedAndCounted() {
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = client(TestSupport.options(exporter).lingerDelay(Duration.ofMinutes(10)));
		for (int i = 0; i < 20; i++) {
			client.log("q" + i, "a");
		}

		StepVerifier.create(client.shutdown()).expectComplete().verify(TIMEOUT);

		assertThat(exporter.tasks()).hasSize(20);
		assertThat(exporter.wasShutdown()).isTrue();
		assertThat(client.isShutdown()).isTrue();
		LoggedTask late = client.log("late", "a");
		client.log("later", "a");
		client.log("latest", "a");
		assertThat(late.input()).isEqualTo("late");
		PhosphoStats stats = client.stats();
		assertThat(stats.exported()).isEqualTo(20);
		assertThat(stats.dropped()).isEqualTo(3);
		assertThat(exporter.tasks()).hasSize(20);
		StepVerifier.create(client.shutdown()).expectComplete().verify(TIMEOUT);
	}

	@Test
	void anExporterThatThrowsCountsFailedAndTheCallerNeverSeesIt() {
		TaskExporter throwing = batch -> {
			throw new IllegalStateException("exporter bug");
		};
		PhosphoClient client = client(TestSupport.options(throwing));
		client.log("q1", "a");
		client.log("q2", "a");

		StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);

		PhosphoStats stats = client.stats();
		assertThat(stats.failed()).isEqualTo(2);
		assertThat(stats.exported()).isZero();
		assertThat(stats.queued()).isZero();
		assertThat(stats.lastError()).contains("exporter bug");
	}

	@Test
	void anExporterThatReturnsAnErrorCountsFailedAndTheCallerNeverSeesIt() {
		TaskExporter failing = batch -> Mono.error(new PhosphoExportException(503, "maintenance") {
		});
		PhosphoClient client = client(TestSupport.options(failing));
		client.log("q1", "a");

		StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);
		client.log("q2", "a");
		StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);

		assertThat(client.stats().failed()).isEqualTo(2);
		assertThat(client.stats().lastError()).contains("maintenance");
	}

	@Test
	void anExporterThatReturnsNullCountsFailed() {
		TaskExporter broken = batch -> null;
		PhosphoClient client = client(TestSupport.options(broken));
		client.log("q1", "a");

		StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);

		assertThat(client.stats().failed()).isEqualTo(1);
	}

	@Test
	void rejectedEventsReportedByTheExporterAreCounted() {
		TaskExporter partial = batch -> Mono.just(new ExportResult(batch.size() - 1, 1));
		PhosphoClient client = client(TestSupport.options(partial));
		client.log("q1", "a");
		client.log("q2", "a");

		StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);

		assertThat(client.stats().rejected()).isEqualTo(1);
		assertThat(client.stats().exported()).isEqualTo(1);
	}

	static boolean await(java.util.concurrent.CountDownLatch latch) {
		try {
			return latch.await(TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}
}

package ai.phospho.reactive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import ai.phospho.reactive.export.ExportResult;
import ai.phospho.reactive.export.TaskExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The export worker goes on whatever the exporter, the tasks and the JVM throw at it: what could not
 * be exported is counted, {@code flush()} and {@code shutdown()} complete, {@code stats()} says why.
 */
class WorkerSurvivalTest {

	static final Duration TIMEOUT = Duration.ofSeconds(5);

	@RegisterExtension
	final TestClients clients = new TestClients();

	PhosphoClient client(PhosphoOptionsBuilder options) {
		return clients.create(options.lingerDelay(Duration.ofMillis(10)));
	}

	/** An exception whose every description throws. */
	static final class Unprintable extends RuntimeException {
		@Override
		public String getMessage() {
			throw new IllegalStateException("getMessage");
		}

		@Override
		public String toString() {
			throw new IllegalStateException("toString");
		}
	}

	@Test
	void anExporterErrorWhoseToStringThrowsFailsItsBatchAndTheWorkerGoesOn() {
		AtomicBoolean broken = new AtomicBoolean(true);
		RecordingExporter good = RecordingExporter.immediate();
		PhosphoClient client = client(TestSupport.options(batch -> broken.get()
				? Mono.error(new Unprintable()) : good.export(batch)));

		client.log("q1", "a");
		StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);
		broken.set(false);
		client.log("q2", "a");
		StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);

		PhosphoStats stats = client.stats();
		assertThat(stats.failed()).isEqualTo(1);
		assertThat(stats.exported()).isEqualTo(1);
		assertThat(stats.lastError()).contains(Unprintable.class.getName()).contains("toString() threw");
		assertThat(good.tasks()).extracting(LoggedTask::input).containsExactly("q2");
	}

	@Test
	void anExporterThatThrowsAnErrorOrReturnsNullFailsItsBatchOnly() {
		AtomicInteger call = new AtomicInteger();
		RecordingExporter good = RecordingExporter.immediate();
		PhosphoClient client = client(TestSupport.options(batch -> switch (call.incrementAndGet()) {
			case 1 -> throw new NoClassDefFoundError("com/example/Missing");
			case 2 -> null;
			default -> good.export(batch);
		}));

		for (int i = 1; i <= 3; i++) {
			client.log("q" + i, "a");
			StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);
		}

		assertThat(client.stats().failed()).isEqualTo(2);
		assertThat(client.stats().exported()).isEqualTo(1);
		assertThat(good.tasks()).extracting(LoggedTask::input).containsExactly("q3");
	}

	@Test
	void whatAnExporterClaimsIsBoundedByItsBatch() {
		PhosphoClient client = client(TestSupport.options(batch -> Mono.just(new ExportResult(1_000, 1_000))));
		client.log("q1", "a");
		client.log("q2", "a");
		StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);

		assertThat(client.stats().exported() + client.stats().rejected()).isEqualTo(2);
	}

	@Test
	void anExporterThatSignalsTwiceIsCountedOnce() {
		PhosphoClient client = client(TestSupport.options(batch -> Mono.<ExportResult>from(s -> {
			s.onSubscribe(reactor.core.publisher.Operators.emptySubscription());
			s.onNext(ExportResult.accepted(batch.size()));
			s.onComplete();
			s.onError(new IllegalStateException("after complete"));
			s.onComplete();
		})));
		for (int i = 0; i < 3; i++) {
			client.log("q" + i, "a");
			StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);
		}

		PhosphoStats stats = client.stats();
		assertThat(stats.exported()).isEqualTo(3);
		assertThat(stats.failed()).isZero();
		assertThat(stats.queued()).isZero();
	}

	/**
	 * A chunk whose getter throws, as a bean would with a missing optional class: everywhere, or
	 * only on the export worker (where the chunks of a stream are converted).
	 */
	public static final class Fragile {
		private final Throwable error;
		private final boolean onWorkerOnly;

		Fragile(Throwable error, boolean onWorkerOnly) {
			this.error = error;
			this.onWorkerOnly = onWorkerOnly;
		}

		public String getText() throws Throwable {
			if (!onWorkerOnly || Thread.currentThread().getName().startsWith("phospho-export")) {
				throw error;
			}
			return "text";
		}

		@Override
		public String toString() {
			return "Fragile";
		}
	}

	@Test
	void aChunkGetterThatThrowsAnErrorOnTheWorkerLeavesTheChunkAsItsStringForm() {
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = client(TestSupport.options(exporter));
		Fragile chunk = new Fragile(new NoClassDefFoundError("com/example/Missing"), false);

		StepVerifier.create(Flux.just(chunk).transform(client.logStream("q")))
				.expectNext(chunk).expectComplete().verify(TIMEOUT);
		List<LoggedTask> tasks = exporter.flushed(client);

		assertThat(tasks).hasSize(1);
		assertThat(tasks.get(0).rawOutput()).isEqualTo(List.of("Fragile"));
	}

	@Test
	void anOutOfMemoryErrorOnTheWorkerFailsThatTaskAndFlushAndShutdownStillComplete() {
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = client(TestSupport.options(exporter));
		Fragile chunk = new Fragile(new OutOfMemoryError("simulated"), true);

		StepVerifier.create(Flux.just(chunk).transform(client.logStream("q")))
				.expectNext(chunk).expectComplete().verify(TIMEOUT);
		StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);
		client.log("after", "a");
		StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);

		PhosphoStats stats = client.stats();
		assertThat(stats.failed()).isEqualTo(1);
		assertThat(stats.exported()).isEqualTo(1);
		assertThat(stats.queued()).isZero();
		assertThat(stats.lastError()).contains("OutOfMemoryError");
		assertThat(exporter.tasks()).extracting(LoggedTask::input).containsExactly("after");
		StepVerifier.create(client.shutdown()).expectComplete().verify(TIMEOUT);
	}

	@Test
	void anExporterThatBlocksDoesNotStretchTheShutdownTimeout() {
		CountDownLatch never = new CountDownLatch(1);
		TaskExporter blocking = new TaskExporter() {
			@Override
			public Mono<ExportResult> export(List<LoggedTask> batch) {
				await(never);
				return Mono.just(ExportResult.accepted(batch.size()));
			}

			@Override
			public Mono<Void> shutdown() {
				await(never);
				return Mono.empty();
			}
		};
		PhosphoClient client = client(TestSupport.options(blocking).shutdownTimeout(Duration.ofMillis(500)));
		client.log("q1", "a");
		client.log("q2", "a");

		// 500 ms of flush, then what is left of it for the exporter's close: well under 10 s of blocking.
		StepVerifier.create(client.shutdown()).expectComplete().verify(Duration.ofMillis(2_000));
		assertThat(client.stats().dropped()).isEqualTo(2);
		assertThat(client.stats().queued()).isZero();
		never.countDown();
	}

	static void await(CountDownLatch latch) {
		try {
			latch.await(10, java.util.concurrent.TimeUnit.SECONDS);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void everyTaskOfThreadsLoggingThroughAShutdownIsCountedOnce() throws Exception {
		for (int round = 0; round < 40; round++) {
			RecordingExporter exporter = RecordingExporter.counting();
			PhosphoClient client = PhosphoClient.create(TestSupport.options(exporter).maxBatchSize(7).build());
			AtomicInteger logged = new AtomicInteger();
			CountDownLatch go = new CountDownLatch(1);
			List<Thread> threads = new ArrayList<>();
			for (int t = 0; t < 3; t++) {
				Thread th = new Thread(() -> {
					await(go);
					for (int i = 0; i < 2_000; i++) {
						client.log("q", "a");
						logged.incrementAndGet();
					}
				});
				th.start();
				threads.add(th);
			}
			go.countDown();
			Thread.sleep(round % 4);
			client.shutdown().block(TIMEOUT);
			for (Thread th : threads) {
				th.join(TIMEOUT.toMillis());
			}

			PhosphoStats stats = client.stats();
			assertThat(stats.queued()).as("round %d: %s", round, stats).isZero();
			assertThat(stats.exported() + stats.dropped() + stats.failed())
					.as("round %d: %s", round, stats).isEqualTo(logged.get());
			assertThat(exporter.count()).isEqualTo(stats.exported());
		}
	}
}

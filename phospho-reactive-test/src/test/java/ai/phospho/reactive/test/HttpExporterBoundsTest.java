package ai.phospho.reactive.test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.IntStream;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoOptions.OverflowPolicy;
import ai.phospho.reactive.PhosphoStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.test.StepVerifier;

import static ai.phospho.reactive.test.Clients.client;
import static org.assertj.core.api.Assertions.assertThat;

/** Memory bounds, overflow and shutdown of the HTTP export against slow or dead servers. */
@ExtendWith(MockPhosphoServerExtension.class)
class HttpExporterBoundsTest {

	private static final Duration BOUND = Duration.ofSeconds(30);

	private PhosphoClient client;

	@AfterEach
	void shutDown() {
		if (client != null) {
			client.shutdown().block(BOUND);
		}
	}

	/** Logs one task and has it sent: the server then holds that request. */
	private void firstRequestHeld(MockPhosphoServer server) {
		client.log("first", "held by the server");
		client.flush().subscribe();
		server.awaitRequests(1, Duration.ofSeconds(5));
	}

	@Test
	void aSlowServerNeverSlowsLogAndDropsAreCountedOnceTheBoundIsReached(MockPhosphoServer server) {
		server.delay(Duration.ofSeconds(5));
		client = client(server, b -> b.maxQueueSize(10).maxConcurrentExports(1).shutdownTimeout(Duration.ofMillis(200)));
		firstRequestHeld(server);

		List<LoggedTask> logged = IntStream.range(0, 30).mapToObj(i -> client.log("q" + i, "a")).toList();

		// Every call returned while the server still holds the first request: log did not wait for it.
		assertThat(server.inProgress()).isEqualTo(1);
		assertThat(server.requests()).hasSize(1);
		assertThat(logged).hasSize(30);
		PhosphoStats stats = client.stats();
		assertThat(stats.queued()).isEqualTo(10);
		assertThat(stats.dropped()).isEqualTo(30 - 9);
		assertThat(stats.inFlight()).isEqualTo(1);
	}

	@Test
	void atMostMaxConcurrentExportsRequestsAreInFlight(MockPhosphoServer server) {
		server.delay(Duration.ofMillis(200));
		client = client(server, b -> b.maxBatchSize(2));

		IntStream.range(0, 12).forEach(i -> client.log("q" + i, "a"));
		StepVerifier.create(client.flush()).verifyComplete();

		assertThat(server.requests()).hasSize(6);
		assertThat(server.peakInProgress()).isEqualTo(2);
		assertThat(client.stats().exported()).isEqualTo(12);
	}

	@Test
	void dropOldestKeepsTheNewestTasksWithinTheBound(MockPhosphoServer server) {
		server.enqueue(MockReply.ok().delay(Duration.ofSeconds(1)));
		client = client(server, b -> b.maxQueueSize(5).maxConcurrentExports(1)
				.overflowPolicy(OverflowPolicy.DROP_OLDEST));
		firstRequestHeld(server);

		IntStream.range(0, 10).forEach(i -> client.log("q" + i, "a"));
		assertThat(server.inProgress()).as("the first request is still held").isEqualTo(1);
		assertThat(client.stats().queued()).isEqualTo(5);
		StepVerifier.create(client.flush()).verifyComplete();

		assertThat(server.events()).extracting(e -> e.get("input")).containsExactly("first", "q6", "q7", "q8", "q9");
		assertThat(client.stats().dropped()).isEqualTo(6);
		assertThat(client.stats().exported()).isEqualTo(5);
	}

	@Test
	void dropNewestKeepsTheOldestTasksWithinTheBound(MockPhosphoServer server) {
		server.enqueue(MockReply.ok().delay(Duration.ofSeconds(1)));
		client = client(server, b -> b.maxQueueSize(5).maxConcurrentExports(1));
		firstRequestHeld(server);

		IntStream.range(0, 10).forEach(i -> client.log("q" + i, "a"));
		assertThat(server.inProgress()).as("the first request is still held").isEqualTo(1);
		StepVerifier.create(client.flush()).verifyComplete();

		assertThat(server.events()).extracting(e -> e.get("input")).containsExactly("first", "q0", "q1", "q2", "q3");
		assertThat(client.stats().dropped()).isEqualTo(6);
	}

	@Test
	void shutdownDeliversTenThousandQueuedTasks(MockPhosphoServer server) {
		client = client(server, b -> b.maxQueueSize(10_000).lingerDelay(Duration.ofMillis(50)).shutdownTimeout(BOUND));

		List<String> ids = IntStream.range(0, 10_000).mapToObj(i -> client.log("q" + i, "a").taskId()).toList();
		StepVerifier.create(client.shutdown()).verifyComplete();

		List<Object> delivered = server.events().stream().map(e -> e.get("task_id")).toList();
		assertThat(delivered).hasSize(10_000);
		assertThat(new HashSet<>(delivered)).containsExactlyInAnyOrderElementsOf(ids);
		assertThat(client.stats().exported()).isEqualTo(10_000);
		assertThat(client.stats().dropped()).isZero();
	}

	@Test
	void shutdownAgainstADeadServerReturnsWithinTheTimeoutAndReportsTheCount(MockPhosphoServer server) {
		server.stop();
		try (LogCapture logs = new LogCapture()) {
			client = client(server, b -> b.shutdownTimeout(Duration.ofSeconds(1)).maxBatchSize(3));
			IntStream.range(0, 7).forEach(i -> client.log("q" + i, "a"));
			Clients.await("retrying", Duration.ofSeconds(5), () -> client.stats().retried() > 0);

			StepVerifier.create(client.shutdown()).expectComplete().verify(Duration.ofSeconds(3));

			assertThat(logs.phospho(Level.WARNING))
					.anySatisfy(l -> assertThat(l).contains("shutdown timed out after PT1S: 7 tasks were not delivered"));
			PhosphoStats stats = client.stats();
			assertThat(stats.dropped()).isEqualTo(7);
			assertThat(stats.queued()).isZero();
			assertThat(stats.inFlight()).isZero();
			assertThat(stats.exported()).isZero();
		}
		// The cancelled retries do not come back once the server is up again.
		long retried = client.stats().retried();
		server.restart();
		reactor.core.publisher.Mono.delay(Duration.ofMillis(300)).block();
		assertThat(server.requests()).isEmpty();
		assertThat(client.stats().retried()).isEqualTo(retried);
	}

	@Test
	void theLargestMaxConcurrentExportsDoesNotOverflowIntoTwoConnections(MockPhosphoServer server) {
		server.delay(Duration.ofMillis(500));
		client = client(server, b -> b.maxConcurrentExports(Integer.MAX_VALUE).maxBatchSize(1));

		IntStream.range(0, 8).forEach(i -> client.log("q" + i, "a"));
		StepVerifier.create(client.flush()).expectComplete().verify(BOUND);

		assertThat(client.stats().exported()).isEqualTo(8);
		assertThat(server.peakInProgress()).isEqualTo(8);
	}
	/**
	 * A worker kept busy longer than the linger period (a redactor that takes a few milliseconds per
	 * task, as a masker of long texts may) has its late ticks run one after the other once it is free
	 * (a periodic task at a fixed rate catches up), before the drain a producer scheduled meanwhile:
	 * that is no lost wake-up, and must not be reported as one.
	 */
	@Test
	void aBusyWorkerIsNotReportedAsHavingLostItsWakeUp(MockPhosphoServer server) throws Exception {
		try (LogCapture logs = new LogCapture()) {
			client = client(server, b -> b.lingerDelay(Duration.ofMillis(2)).maxBatchSize(4).redactor(t -> {
				java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(3).toNanos());
				return t;
			}));
			long end = System.nanoTime() + Duration.ofMillis(1500).toNanos();
			List<Thread> producers = new java.util.ArrayList<>();
			for (int p = 0; p < 2; p++) {
				Thread t = new Thread(() -> {
					while (System.nanoTime() < end) {
						client.log("in", "out");
						java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
					}
				});
				t.start();
				producers.add(t);
			}
			for (Thread t : producers) {
				t.join();
			}
			StepVerifier.create(client.flush()).expectComplete().verify(BOUND);

			assertThat(logs.phospho(Level.WARNING)).noneMatch(l -> l.contains("wake-up was lost"));
			assertThat(client.stats().failed()).isZero();
		}
	}
}

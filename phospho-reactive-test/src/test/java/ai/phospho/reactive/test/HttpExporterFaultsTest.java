package ai.phospho.reactive.test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.IntStream;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.test.StepVerifier;

import static ai.phospho.reactive.test.Clients.client;
import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP exporter against a failing mock phospho API. */
@ExtendWith(MockPhosphoServerExtension.class)
class HttpExporterFaultsTest {

	private static final Duration BOUND = Duration.ofSeconds(10);

	private PhosphoClient client;

	@AfterEach
	void shutDown() {
		if (client != null) {
			client.shutdown().block(BOUND);
		}
	}

	private List<String> log(int n) {
		return IntStream.range(0, n).mapToObj(i -> client.log("question " + i, "answer " + i))
				.map(LoggedTask::taskId).toList();
	}

	private void flush() {
		StepVerifier.create(client.flush()).verifyComplete();
	}

	private static List<Object> ids(List<Map<String, Object>> events) {
		return events.stream().map(e -> e.get("task_id")).toList();
	}

	@Test
	void threeServerErrorsThenSuccessDeliverEveryTaskExactlyOnce(MockPhosphoServer server) {
		server.enqueue(MockReply.status(500), MockReply.status(500), MockReply.status(500));
		client = client(server);

		List<String> ids = log(5);
		flush();

		assertThat(ids(server.events())).containsExactlyElementsOf(ids);
		assertThat(server.requests()).extracting(RecordedRequest::status).containsExactly(500, 500, 500, 200);
		assertThat(server.requests()).allSatisfy(r -> assertThat(r.taskIds()).containsExactlyElementsOf(ids));
		PhosphoStats stats = client.stats();
		assertThat(stats.exported()).isEqualTo(5);
		assertThat(stats.retried()).isEqualTo(3);
		assertThat(stats.failed()).isZero();
		assertThat(stats.lastError()).contains("500");
	}

	@Test
	void retryAfterOneSecondIsWaitedBeforeTheNextRequest(MockPhosphoServer server) {
		server.enqueue(MockReply.status(429).retryAfter("1"));
		client = client(server);

		log(1);
		flush();

		List<RecordedRequest> requests = server.requests();
		assertThat(requests).extracting(RecordedRequest::status).containsExactly(429, 200);
		// The backoff alone would wait at most 10 ms.
		assertThat(requests.get(1).receivedNanos() - requests.get(0).receivedNanos())
				.isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos());
		assertThat(client.stats().retried()).isEqualTo(1);
	}

	@Test
	void aServerDownForTenSecondsThenUpLosesNothing(MockPhosphoServer server) {
		long down = System.nanoTime();
		server.stop();
		client = client(server, b -> b.maxBatchSize(5).httpExporter(http -> http.maxRetryDuration(Duration.ofSeconds(30))));

		List<String> ids = log(20);
		StepVerifier.Step<Void> flushed = StepVerifier.create(client.flush());
		// Down for 10 s of refused connections, retried all along.
		Clients.await("retries while down", BOUND, () -> client.stats().retried() >= 10);
		long left = Duration.ofSeconds(10).toNanos() - (System.nanoTime() - down);
		if (left > 0) {
			reactor.core.publisher.Mono.delay(Duration.ofNanos(left)).block();
		}
		assertThat(server.requests()).isEmpty();
		server.restart();
		flushed.verifyComplete();

		assertThat(ids(server.events())).containsExactlyInAnyOrderElementsOf(ids);
		assertThat(client.stats().failed()).isZero();
		assertThat(client.stats().exported()).isEqualTo(20);
		assertThat(client.stats().lastError()).contains("Connection refused");
	}

	@Test
	void aConnectionResetMidResponseSendsTheBatchAgainWithTheSameTaskIds(MockPhosphoServer server) {
		server.enqueue(MockReply.closeMidResponse());
		client = client(server);

		List<String> ids = log(3);
		flush();

		List<RecordedRequest> requests = server.requests();
		assertThat(requests).hasSize(2);
		assertThat(requests.get(0).taskIds()).containsExactlyElementsOf(ids);
		assertThat(requests.get(1).taskIds()).containsExactlyElementsOf(ids);
		// At least once: the server stored the first copy too, under the same ids.
		assertThat(server.batches()).hasSize(2);
		assertThat(client.stats().retried()).isEqualTo(1);
		assertThat(client.stats().exported()).isEqualTo(3);
	}

	@Test
	void aConnectionClosedBeforeTheReplyIsRetried(MockPhosphoServer server) {
		server.enqueue(MockReply.closeBeforeResponse());
		client = client(server);

		List<String> ids = log(2);
		flush();

		assertThat(server.requests()).extracting(RecordedRequest::status).containsExactly(-1, 200);
		assertThat(ids(server.events())).containsExactlyElementsOf(ids);
	}

	@Test
	void aResponseTimeoutIsRetried(MockPhosphoServer server) {
		server.enqueue(MockReply.ok().delay(Duration.ofSeconds(3)));
		client = client(server, b -> b.httpExporter(http -> http.responseTimeout(Duration.ofMillis(200))));

		List<String> ids = log(1);
		flush();

		assertThat(server.requests()).hasSize(2);
		assertThat(ids(server.events())).contains(ids.get(0));
		assertThat(client.stats().retried()).isEqualTo(1);
	}

	@Test
	void aWrongKeyIsTriedOnceDroppedCountedAndNeverLogged(MockPhosphoServer server) {
		String key = "sk-wrong-0123456789abcdef";
		try (LogCapture logs = new LogCapture()) {
			client = client(server, b -> b.apiKey(key));
			log(3);
			flush();
			client.shutdown().block(BOUND);

			assertThat(server.requests()).extracting(RecordedRequest::status).containsExactly(401);
			PhosphoStats stats = client.stats();
			assertThat(stats.failed()).isEqualTo(3);
			assertThat(stats.exported()).isZero();
			assertThat(stats.retried()).isZero();
			assertThat(stats.lastError()).contains("401").doesNotContain(key);
			assertThat(logs.phospho(Level.SEVERE)).singleElement().asString()
					.contains("401", "check the API key (PHOSPHO_API_KEY, now ****cdef)", "3 tasks were dropped");
			assertThat(logs.lines()).isNotEmpty().noneMatch(line -> line.contains(key));
		}
	}

	@Test
	void anUnknownProjectSaysToCheckTheProjectId(MockPhosphoServer server) {
		try (LogCapture logs = new LogCapture()) {
			client = client(server, b -> b.projectId("not-my-project"));
			log(1);
			flush();

			assertThat(server.requests()).extracting(RecordedRequest::status).containsExactly(404);
			assertThat(client.stats().failed()).isEqualTo(1);
			assertThat(logs.phospho(Level.SEVERE)).singleElement().asString()
					.contains("check the project id (PHOSPHO_PROJECT_ID, now 'not-my-project')");
		}
	}

	@Test
	void aTooLargeBatchIsSplitUntilItFitsAndATooLargeEventIsDropped(MockPhosphoServer server) {
		server.maxBodyBytes(3_000);
		client = client(server);

		List<String> small = IntStream.range(0, 8)
				.mapToObj(i -> client.log("q" + i + " " + "x".repeat(600), "a").taskId()).toList();
		String huge = client.log("y".repeat(5_000), "a").taskId();
		flush();

		assertThat(ids(server.events())).containsExactlyInAnyOrderElementsOf(small).doesNotContain(huge);
		assertThat(server.requests()).extracting(RecordedRequest::status).contains(413, 200);
		assertThat(server.requests()).filteredOn(r -> r.status() == 200)
				.allSatisfy(r -> assertThat(r.body().length()).isLessThanOrEqualTo(3_000));
		PhosphoStats stats = client.stats();
		assertThat(stats.exported()).isEqualTo(8);
		assertThat(stats.rejected()).isEqualTo(1);
		assertThat(stats.failed()).isZero();
	}

	@Test
	void errorInLogEntriesAreCountedAsRejected(MockPhosphoServer server) {
		server.enqueue(MockReply.ok().rejectEvent(1, "quota reached"));
		client = client(server);

		List<String> ids = log(3);
		flush();

		assertThat(ids(server.events())).containsExactly(ids.get(0), ids.get(2));
		assertThat(client.stats().rejected()).isEqualTo(1);
		assertThat(client.stats().exported()).isEqualTo(2);
	}

	@Test
	void aNumericTestIdPassesTheServersStrictValidationAsAString(MockPhosphoServer server) {
		client = client(server);

		// test_id is a string field of the backend's LogEvent: a number put there is sent as its text.
		String id = client.log(ai.phospho.reactive.TaskLog.of("x").output("y").put("test_id", 42)).taskId();
		flush();

		assertThat(ids(server.events())).containsExactly(id);
		assertThat(server.events().get(0)).containsEntry("test_id", "42");
		assertThat(client.stats().rejected()).isZero();
		assertThat(client.stats().exported()).isEqualTo(1);
	}

	@Test
	void aBatchStillFailingAfterMaxRetryDurationIsDroppedAndCounted(MockPhosphoServer server) {
		server.stop();
		client = client(server, b -> b.httpExporter(http -> http.maxRetryDuration(Duration.ofMillis(300))));

		log(4);
		flush();

		PhosphoStats stats = client.stats();
		assertThat(stats.failed()).isEqualTo(4);
		assertThat(stats.retried()).isPositive();
		assertThat(stats.queued()).isZero();
		assertThat(stats.lastError()).contains("not reached after", "maxRetryDuration");
	}
}

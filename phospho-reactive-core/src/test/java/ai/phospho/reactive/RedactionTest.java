package ai.phospho.reactive;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import ai.phospho.reactive.export.JsonLinesTaskExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

import static ai.phospho.reactive.TestSupport.options;
import static org.assertj.core.api.Assertions.assertThat;

class RedactionTest {

	static final String EMAIL = "jane.doe@example.com";
	static final String CARD = "4111 1111 1111 1111";
	static final String KEY = "sk-proj-abcdefghijklmnop1234";

	static final TaskMasker MASKER = TaskMasker.builder().emails().cardNumbers().apiKeys().keys("password").build();

	/** A task with the secrets in every field: texts, nested raw strings, metadata and extra keys. */
	static TaskLog<Map<String, Object>, Map<String, Object>> secretTask() {
		Map<String, Object> query = Map.of("model", "gpt-4o-mini", "messages", List.of(
				Map.of("role", "system", "content", "The user is " + EMAIL),
				Map.of("role", "user", "content", "Pay with " + CARD + " using " + KEY)),
				"auth", Map.of("password", "hunter2"));
		Map<String, Object> response = Map.of("choices", List.of(Map.of("index", 0,
				"message", Map.of("role", "assistant", "content", "Charged " + CARD + ", receipt to " + EMAIL))));
		return TaskLog.of(query).output(response).metadata(Map.of("contact", EMAIL, "nested", List.of(Map.of("k", KEY))))
				.put("extra_key", "mail " + EMAIL);
	}

	@Test
	void everyFieldAndNestedRawStringIsMaskedInTheJsonLinesFile(@TempDir Path dir) throws Exception {
		Path file = dir.resolve("tasks.jsonl");
		PhosphoClient client = PhosphoClient.create(options(JsonLinesTaskExporter.create(file)).redactor(MASKER).build());
		LoggedTask logged = client.log(secretTask());
		client.shutdown().block(Duration.ofSeconds(10));

		String bytes = Files.readString(file, StandardCharsets.UTF_8);
		assertThat(bytes).doesNotContain(EMAIL, CARD, KEY, "hunter2").contains("<redacted>", logged.taskId());
		Map<String, Object> event = TestSupport.map(bytes.strip());
		assertThat(event.get("input")).isEqualTo("Pay with <redacted> using <redacted>");
		assertThat(event.get("output")).isEqualTo("Charged <redacted>, receipt to <redacted>");
		assertThat(event.get("system_prompt")).isEqualTo("The user is <redacted>");
		assertThat(event.get("extra_key")).isEqualTo("mail <redacted>");
		assertThat(event.get("model")).isEqualTo("gpt-4o-mini");
		assertThat(event.get("metadata")).isEqualTo(Map.of("contact", "<redacted>", "nested", List.of(Map.of("k", "<redacted>"))));
		assertThat(((Map<?, ?>) event.get("raw_input")).get("auth")).isEqualTo(Map.of("password", "<redacted>"));
		// What log returned is the task as logged: the redactor runs later, on the worker.
		assertThat(logged.input()).contains(CARD);
	}

	@Test
	void theRedactorRunsOnceForEachTaskOnTheWorkerBeforeTheExporter() {
		RecordingExporter exporter = RecordingExporter.immediate();
		Set<String> threads = ConcurrentHashMap.newKeySet();
		Map<String, Integer> calls = new ConcurrentHashMap<>();
		TaskRedactor counting = t -> {
			threads.add(Thread.currentThread().getName());
			calls.merge(t.taskId(), 1, Integer::sum);
			return t;
		};
		// Batches of one, so that tasks are carried from batch to batch and must not be redacted twice.
		PhosphoClient client = PhosphoClient.create(options(exporter).maxBatchSize(1).redactor(counting.andThen(MASKER)).build());
		for (int i = 0; i < 20; i++) {
			client.log(secretTask());
		}
		Flux.just("a ", EMAIL).transform(client.logStream("stream")).blockLast(Duration.ofSeconds(5));
		client.flush().block(Duration.ofSeconds(10));

		assertThat(calls).hasSize(21).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
		assertThat(threads).allSatisfy(t -> assertThat(t).startsWith("phospho-export"));
		assertThat(exporter.tasks()).hasSize(21).allSatisfy(t -> assertThat(t.toMap().toString())
				.doesNotContain(EMAIL, CARD, KEY, "hunter2"));
		client.shutdown().block(Duration.ofSeconds(10));
	}

	@Test
	void aMaskedStreamWhoseChunksWereCutStaysMarkedTruncated() {
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = PhosphoClient.create(options(exporter).maxFieldChars(200).redactor(MASKER).build());
		List<String> chunks = new ArrayList<>();
		chunks.add(EMAIL + " ");
		// Kept by the stream (5 characters each), cut by the exact JSON (an escape for each quote).
		for (int i = 0; i < 20; i++) {
			chunks.add("\"\"\"\"\"");
		}
		Flux.fromIterable(chunks).transform(client.logStream("stream")).blockLast(Duration.ofSeconds(5));
		client.flush().block(Duration.ofSeconds(10));

		LoggedTask t = exporter.tasks().get(0);
		assertThat(t.toMap().toString()).doesNotContain(EMAIL);
		assertThat((List<?>) t.rawOutput()).hasSizeLessThan(chunks.size());
		// Was false: the masked copy of the chunks replaced them without their flag.
		assertThat(t.truncated()).isTrue();
		assertThat(t.toMap()).containsEntry("truncated", true);
		client.shutdown().block(Duration.ofSeconds(10));
	}

	@Test
	void aThrowingRedactorDropsItsTaskCountedAndReportedWithoutTheContent() {
		RecordingExporter exporter = RecordingExporter.immediate();
		TaskRedactor throwing = t -> {
			if (t.input().contains("secret")) {
				throw new IllegalStateException("cannot redact " + t.input());
			}
			return t;
		};
		PhosphoClient client = PhosphoClient.create(options(exporter).redactor(throwing).build());
		client.log("a secret input", "out");
		client.log("another secret input", "out");
		client.log("fine", "out");
		client.flush().block(Duration.ofSeconds(10));

		PhosphoStats stats = client.stats();
		assertThat(stats.redactionFailures()).isEqualTo(2);
		assertThat(stats.redacted()).isZero();
		assertThat(stats.exported()).isEqualTo(1);
		assertThat(stats.failed()).isZero();
		assertThat(stats.queued()).isZero();
		assertThat(stats.lastError()).startsWith("the redactor ").contains("threw java.lang.IllegalStateException on task ")
				.doesNotContain("secret");
		assertThat(exporter.tasks()).extracting(LoggedTask::input).containsExactly("fine");
		client.shutdown().block(Duration.ofSeconds(10));
	}

	@Test
	void aRedactorThatReturnsNullDropsTheTaskCountedAsRedacted() {
		RecordingExporter exporter = RecordingExporter.immediate();
		AtomicInteger seen = new AtomicInteger();
		PhosphoClient client = PhosphoClient.create(options(exporter)
				.redactor(t -> seen.incrementAndGet() % 2 == 0 ? null : t).build());
		for (int i = 0; i < 10; i++) {
			client.log("in " + i, "out");
		}
		client.flush().block(Duration.ofSeconds(10));

		PhosphoStats stats = client.stats();
		assertThat(stats.redacted()).isEqualTo(5);
		assertThat(stats.exported()).isEqualTo(5);
		assertThat(stats.queued() + stats.exported() + stats.dropped() + stats.failed() + stats.rejected()
				+ stats.redacted() + stats.redactionFailures()).isEqualTo(10);
		client.shutdown().block(Duration.ofSeconds(10));
	}
	/**
	 * A redactor that drops every task (a switch that turns logging off, a filter of health checks)
	 * under steady traffic: each forced drain (a linger tick) takes and removes what is queued and
	 * finds no batch. Those places are released as removed; none is a place counted for a task that
	 * never reached the queue, so none may be given up as lost: before, after a hundred ticks the
	 * worker counted the fewest removed per tick as failed and released them a second time (about
	 * 20 failed and a negative queued count with one producer and a linger of 5 ms).
	 */
	@Test
	void aRedactorThatDropsEveryTaskUnderSteadyTrafficGivesUpNoPlaces() throws Exception {
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = PhosphoClient.create(options(exporter).redactor(t -> null)
				.lingerDelay(Duration.ofMillis(5)).build());
		long end = System.nanoTime() + Duration.ofMillis(1500).toNanos();
		AtomicInteger logged = new AtomicInteger();
		List<Thread> producers = new ArrayList<>();
		for (int p = 0; p < 2; p++) {
			Thread t = new Thread(() -> {
				while (System.nanoTime() < end) {
					client.log("health check", "ok");
					logged.incrementAndGet();
					java.util.concurrent.locks.LockSupport.parkNanos(100_000);
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
		assertThat(stats.failed()).as("%s", stats).isZero();
		assertThat(String.valueOf(stats.lastError())).doesNotContain("places");
		assertThat(stats.queued()).as("%s", stats).isZero();
		assertThat(stats.redacted() + stats.dropped()).as("%s", stats).isEqualTo(logged.get());
		assertThat(exporter.tasks()).isEmpty();
		client.shutdown().block(Duration.ofSeconds(10));
	}
}

package ai.phospho.reactive;

import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.test.publisher.TestPublisher;
import reactor.test.util.RaceTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/** A cancel racing a terminal signal or the stop chunk logs exactly one task, every round. */
class StreamRaceTest {

	private static final int ROUNDS = 1_000;

	private final RecordingExporter exporter = RecordingExporter.immediate();
	private final PhosphoClient client = exporter.client();

	@AfterEach
	void shutdown() {
		client.shutdown().block(Duration.ofSeconds(5));
	}

	/** The chunk's text, after a short spin that widens the window in which a cancel lands mid-chunk. */
	private static String slowly(String chunk) {
		long end = System.nanoTime() + 2_000;
		while (System.nanoTime() < end) {
			Thread.onSpinWait();
		}
		return chunk;
	}

	/** Runs {@code ROUNDS} rounds, each racing {@code signal} against a cancel, and returns the tasks. */
	private List<LoggedTask> race(BiConsumer<TestPublisher<String>, Integer> signal) {
		for (int i = 0; i < ROUNDS; i++) {
			TestPublisher<String> source = TestPublisher.create();
			Function<Flux<String>, Flux<String>> log = client.logStream(StreamLog.<String>of("round-" + i)
					.outputToString(StreamRaceTest::slowly).stop("STOP"::equals));
			BaseSubscriber<String> subscriber = new BaseSubscriber<>() {
				@Override
				protected void hookOnSubscribe(Subscription subscription) {
					requestUnbounded();
				}
			};
			source.flux().transform(log).subscribe(subscriber);
			source.next("a");
			int round = i;
			RaceTestUtils.race(() -> signal.accept(source, round), subscriber::cancel);
		}
		List<LoggedTask> tasks = exporter.flushed(client);
		assertThat(tasks).hasSize(ROUNDS);
		assertThat(tasks.stream().map(LoggedTask::input).collect(Collectors.toSet())).hasSize(ROUNDS);
		return tasks;
	}

	@Test
	void cancelRacingCompleteLogsExactlyOneTaskEveryRound() {
		List<LoggedTask> tasks = race((source, i) -> source.complete());

		assertThat(tasks).allSatisfy(t -> {
			assertThat(t.output()).isEqualTo("a");
			assertThat(t.metadata().get("stream_status")).isIn("completed", "cancelled");
		});
	}

	@Test
	void cancelRacingTheStopChunkLogsExactlyOneTaskEveryRound() {
		List<LoggedTask> tasks = race((source, i) -> source.next("STOP"));

		assertThat(tasks).allSatisfy(t -> {
			if ("stopped".equals(t.metadata().get("stream_status"))) {
				assertThat(t.output()).isEqualTo("aSTOP");
			}
			else {
				assertThat(t.metadata()).containsEntry("stream_status", "cancelled");
				assertThat(t.output()).isIn("a", "aSTOP");
			}
		});
	}

	@Test
	void cancelRacingChunksLogsExactlyOneTaskWithAConsistentPrefix() {
		List<LoggedTask> tasks = race((source, i) -> source.next("b", "c", "d"));

		assertThat(tasks).allSatisfy(t -> {
			assertThat(t.metadata().get("stream_status")).isIn("cancelled", "completed");
			assertThat(t.output()).isIn("a", "ab", "abc", "abcd");
			assertThat(t.metadata().get("chunk_count")).isEqualTo((long) t.output().length());
		});
	}
}

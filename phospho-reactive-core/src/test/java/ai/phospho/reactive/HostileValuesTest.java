package ai.phospho.reactive;

import java.time.Duration;
import java.util.AbstractMap;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Values that throw when read are the library's problem: the stream and the caller see nothing,
 * the task is logged with what could be read and says what failed, and the failure is counted.
 */
class HostileValuesTest {

	static final Duration TIMEOUT = Duration.ofSeconds(5);

	final RecordingExporter exporter = RecordingExporter.immediate();
	final PhosphoClient client = PhosphoClient.create(TestSupport.options(exporter).build());

	@AfterEach
	void shutdown() {
		client.shutdown().block(TIMEOUT);
	}

	/** A map whose every read throws. */
	static final class Exploding extends AbstractMap<String, Object> {
		@Override
		public Set<Entry<String, Object>> entrySet() {
			throw new ConcurrentModificationException("entrySet");
		}

		@Override
		public Object get(Object key) {
			throw new IllegalStateException("get");
		}

		@Override
		public boolean containsKey(Object key) {
			throw new IllegalStateException("containsKey");
		}

		@Override
		public String toString() {
			return "Exploding";
		}
	}

	/** A key whose {@code toString()} throws. */
	static final class BadKey implements Comparable<BadKey> {
		@Override
		public String toString() {
			throw new IllegalStateException("key toString");
		}

		@Override
		public int compareTo(BadKey o) {
			return 0;
		}
	}

	/** A bean whose getter meets a missing optional class. */
	public static final class MissingClass {
		public String getContent() {
			throw new NoClassDefFoundError("com/example/Optional");
		}

		@Override
		public String toString() {
			return "MissingClass";
		}
	}

	@Test
	@SuppressWarnings({"unchecked", "rawtypes"})
	void chunksThatThrowWhenReadReachTheSubscriberUnchangedAndTheTaskSaysWhatFailed() {
		Map<Integer, Object> integerKeys = new TreeMap<>(Map.of(1, "one"));
		Map<BadKey, Object> badKey = new TreeMap<>(Map.of(new BadKey(), "v"));
		List<Object> chunks = List.of(Map.of("choices", List.of(Map.of("delta", Map.of("content", "Hel")))),
				integerKeys, new Exploding(), badKey, new MissingClass(),
				Map.of("choices", List.of(Map.of("delta", Map.of("content", "lo")))));

		StepVerifier.create(Flux.fromIterable(chunks).transform(client.logStream("q")))
				.expectNextSequence(chunks).expectComplete().verify(TIMEOUT);

		List<LoggedTask> tasks = exporter.flushed(client);
		assertThat(tasks).hasSize(1);
		LoggedTask t = tasks.get(0);
		// What cannot be read has no text; a bean whose getter fails is its string form, as any unknown value.
		assertThat(t.output()).isEqualTo("HelMissingClasslo");
		assertThat(t.metadata()).containsEntry("stream_status", "completed").containsEntry("chunk_count", 6L)
				.containsKey("capture_error");
		assertThat((String) t.metadata().get("capture_error")).contains("ClassCastException");
		assertThat((List<Object>) t.rawOutput()).hasSize(6);
		assertThat(client.stats().captureErrors()).isEqualTo(1);
	}

	@Test
	void aGetterThatThrowsAnErrorNeverReachesTheCallerOfLog() {
		LoggedTask t = client.log(new MissingClass(), new MissingClass());

		assertThat(t.input()).isEqualTo("MissingClass");
		assertThat(t.output()).isEqualTo("MissingClass");
		assertThat(exporter.flushed(client)).hasSize(1);
	}

	@Test
	void aGetterThatThrowsAnErrorNeverReachesTheSubscriberOfLogMonoOrLogStream() {
		MissingClass value = new MissingClass();
		StepVerifier.create(client.logMono(new MissingClass(), Mono.just(value)))
				.expectNext(value).expectComplete().verify(TIMEOUT);
		StepVerifier.create(Flux.just(value, value).transform(client.logStream(new MissingClass())))
				.expectNext(value, value).expectComplete().verify(TIMEOUT);

		List<LoggedTask> tasks = exporter.flushed(client);
		assertThat(tasks).hasSize(2);
		assertThat(tasks).extracting(LoggedTask::input).containsOnly("MissingClass");
		assertThat(tasks.get(0).output()).isEqualTo("MissingClass");
	}

	@Test
	void metadataValuesThatThrowWhenReadAreLoggedAsWhatCouldBeRead() {
		LoggedTask t = client.log(TaskLog.of("q").output("a").metadata(Map.of("bad", new Exploding(),
				"missing", new MissingClass())).put("extra", new Exploding()));

		assertThat(t.metadata()).containsEntry("bad", "Exploding").containsEntry("missing", "MissingClass");
		assertThat(t.extras()).containsEntry("extra", "Exploding");
		assertThat(exporter.flushed(client)).hasSize(1);
	}
}

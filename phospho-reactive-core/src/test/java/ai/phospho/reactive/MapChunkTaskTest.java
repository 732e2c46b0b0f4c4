package ai.phospho.reactive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import ai.phospho.reactive.internal.MapChunkPassTest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream of map chunks gives the same task whether its chunks are read in one pass (JDK maps of
 * OpenAI's shape) or by the rules one by one (the same chunks behind a map class of their own, which
 * the one pass declines): output, usage, model, response id, finish reason, tool calls, stop,
 * truncation, failures and raw output.
 */
class MapChunkTaskTest {

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	final List<PhosphoClient> clients = new ArrayList<>();

	@AfterEach
	void shutdown() {
		for (PhosphoClient c : clients) {
			c.shutdown().block(TIMEOUT);
		}
	}

	/** The same entries, behind a class that the one pass does not read. */
	static final class Opaque extends AbstractMap<String, Object> {
		final Map<String, Object> inner;

		Opaque(Map<String, Object> inner) {
			this.inner = inner;
		}

		@Override
		public Set<Entry<String, Object>> entrySet() {
			return inner.entrySet();
		}

		@Override
		public @Nullable Object get(Object key) {
			return inner.get(key);
		}

		@Override
		public boolean containsKey(Object key) {
			return inner.containsKey(key);
		}
	}

	LoggedTask logged(List<Map<String, Object>> chunks, int maxChars) {
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = PhosphoClient.create(TestSupport.options(exporter).maxFieldChars(maxChars).build());
		clients.add(client);
		Flux.fromIterable(chunks).transform(client.logStream("q")).blockLast(TIMEOUT);
		List<LoggedTask> tasks = exporter.flushed(client);
		assertThat(tasks).hasSize(1);
		return tasks.get(0);
	}

	/** The task as exported, without what differs between any two tasks (ids, clocks). */
	static Map<String, Object> comparable(LoggedTask t) {
		Map<String, Object> m = new LinkedHashMap<>(t.toMap());
		for (String k : List.of("task_id", "session_id", "client_created_at", "last_update")) {
			m.remove(k);
		}
		Map<String, Object> metadata = new LinkedHashMap<>(t.metadata());
		metadata.remove("latency_ms");
		metadata.remove("time_to_first_chunk_ms");
		m.put("metadata", metadata);
		// The string form of a chunk that cannot be converted names its class and identity.
		m.put("raw_output", TestSupport.JSON.writeValueAsString(m.get("raw_output"))
				.replaceAll("[\\w.$]+@[0-9a-f]+", "object"));
		return m;
	}

	void same(List<Map<String, Object>> chunks, int maxChars) {
		List<Map<String, Object>> opaque = new ArrayList<>();
		for (Map<String, Object> c : chunks) {
			opaque.add(new Opaque(c));
		}
		Map<String, Object> read = comparable(logged(chunks, maxChars));
		Map<String, Object> oneByOne = comparable(logged(opaque, maxChars));
		assertThat(read).isEqualTo(oneByOne);
	}

	@Test
	void theRecordedStreamsGiveTheSameTasks() throws IOException {
		List<Path> files;
		try (Stream<Path> s = Files.list(MapChunkPassTest.RECORDINGS)) {
			files = s.filter(p -> p.toString().endsWith(".sse") || p.toString().endsWith(".ndjson")).sorted().toList();
		}
		for (Path file : files) {
			List<Map<String, Object>> chunks = MapChunkPassTest.recorded(file);
			if (chunks.isEmpty()) {
				continue;
			}
			for (int maxChars : new int[] {PhosphoOptions.DEFAULT_MAX_FIELD_CHARS, 400, 60}) {
				same(chunks, maxChars);
			}
		}
	}

	@Test
	void randomStreamsGiveTheSameTasks() {
		Random random = new Random(1818);
		for (int stream = 0; stream < 150; stream++) {
			List<Map<String, Object>> chunks = new ArrayList<>();
			int n = 1 + random.nextInt(6);
			MapChunkPassTest.Chunk chunk = new MapChunkPassTest.Chunk(random);
			for (int i = 0; i < n; i++) {
				chunks.add(chunk.top());
			}
			same(chunks, random.nextBoolean() ? PhosphoOptions.DEFAULT_MAX_FIELD_CHARS : 30 + random.nextInt(300));
		}
	}
}

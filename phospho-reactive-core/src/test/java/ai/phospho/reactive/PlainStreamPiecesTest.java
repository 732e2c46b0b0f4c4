package ai.phospho.reactive;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import ai.phospho.reactive.export.JsonLinesTaskExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream of String chunks whose text the export worker found plain has its chunks copied into
 * {@code raw_output} without being read again: the event in the JSON-lines file is what it was, for
 * plain streams, for streams cut at the cap, and for a stream whose output a redactor replaced by a
 * plain text while its chunks hold quotes, escapes and characters past ASCII.
 */
class PlainStreamPiecesTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@TempDir
	Path dir;

	private List<Map<String, Object>> events(Path file) throws Exception {
		return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(TestSupport::map).toList();
	}

	@Test
	void plainChunksAndCutOnesAreWrittenAsTheyWere() throws Exception {
		Path file = dir.resolve("tasks.jsonl");
		PhosphoClient client = PhosphoClient.create(PhosphoOptions.builder()
				.exporter(JsonLinesTaskExporter.create(file)).shutdownHook(false).maxFieldChars(40).build());
		Flux.just("Hello", ", ", "world", "!").transform(client.logStream("q")).blockLast(TIMEOUT);
		// Past the cap of 40: the raw output keeps the chunks that fit, the text is cut.
		Flux.range(0, 30).map(i -> "tok" + i + " ").transform(client.logStream("q")).blockLast(TIMEOUT);
		client.shutdown().block(TIMEOUT);

		List<Map<String, Object>> events = events(file);
		assertThat(events).hasSize(2);
		assertThat(events.get(0).get("output")).isEqualTo("Hello, world!");
		assertThat(events.get(0).get("raw_output")).isEqualTo(List.of("Hello", ", ", "world", "!"));
		String output = (String) events.get(1).get("output");
		List<?> raw = (List<?>) events.get(1).get("raw_output");
		assertThat(output).hasSize(40).startsWith("tok0 tok1 ");
		assertThat(raw).isNotEmpty().isEqualTo(Flux.range(0, raw.size()).map(i -> "tok" + i + " ").collectList().block());
		assertThat(output).startsWith(String.join("", raw.stream().map(String.class::cast).toList()));
		assertThat(events.get(1).get("truncated")).isEqualTo(true);
	}

	/**
	 * The texts of the recorded provider streams (the test kit's recordings, public samples; see its
	 * SOURCES.md), logged as a stream of Strings at several caps: plain ones take the copy, those
	 * with quotes, escapes or characters past ASCII the generator; the event is the chunks either way.
	 */
	@Test
	void theTextsOfRecordedProviderStreamsAreWrittenAsTheirChunks() throws Exception {
		List<Path> files;
		try (java.util.stream.Stream<Path> s = Files.list(ai.phospho.reactive.internal.MapChunkPassTest.RECORDINGS)) {
			files = s.filter(p -> p.toString().endsWith(".sse") || p.toString().endsWith(".ndjson")).sorted().toList();
		}
		java.util.List<List<String>> streams = new java.util.ArrayList<>();
		for (Path f : files) {
			List<String> texts = ai.phospho.reactive.internal.MapChunkPassTest.recorded(f).stream()
					.map(ai.phospho.reactive.internal.Extraction::chunkText).filter(t -> !t.isEmpty()).toList();
			if (!texts.isEmpty()) {
				streams.add(texts);
			}
		}
		assertThat(streams).hasSizeGreaterThan(10);
		assertThat(streams).anyMatch(t -> String.join("", t).chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"'));
		assertThat(streams).anyMatch(t -> String.join("", t).chars().anyMatch(c -> c >= 0x80));
		for (int max : new int[] {100_000, 200, 37}) {
			Path file = dir.resolve("tasks-" + max + ".jsonl");
			PhosphoClient client = PhosphoClient.create(PhosphoOptions.builder()
					.exporter(JsonLinesTaskExporter.create(file)).shutdownHook(false).maxFieldChars(max).build());
			for (List<String> texts : streams) {
				Flux.fromIterable(texts).transform(client.logStream("q")).blockLast(TIMEOUT);
			}
			client.shutdown().block(TIMEOUT);
			List<Map<String, Object>> events = events(file);
			assertThat(events).hasSize(streams.size());
			for (int i = 0; i < streams.size(); i++) {
				List<String> texts = streams.get(i);
				List<?> raw = (List<?>) events.get(i).get("raw_output");
				String output = (String) events.get(i).get("output");
				String all = String.join("", texts);
				assertThat(raw).as("stream %d at %d", i, max).isEqualTo(texts.subList(0, raw.size()));
				assertThat(all).as("stream %d at %d", i, max).startsWith(output);
				if (all.length() <= max) {
					assertThat(output).isEqualTo(all);
				}
				if (max == 100_000) {
					// The raw output's cap counts its JSON (quotes, commas): below it, every chunk is there.
					assertThat(raw).isEqualTo(texts);
				}
			}
		}
	}

	@Test
	void chunksOfAnOutputReplacedByAPlainTextAreStillEscaped() throws Exception {
		Path file = dir.resolve("tasks.jsonl");
		List<String> chunks = List.of("Caf", "é \"quoted\"", "\\ back", "\u2028", "\u0001", "😀", "\ud800");
		PhosphoClient client = PhosphoClient.create(PhosphoOptions.builder()
				.exporter(JsonLinesTaskExporter.create(file)).shutdownHook(false)
				.redactor(t -> t.toBuilder().output("masked").build()).build());
		Flux.fromIterable(chunks).transform(client.logStream("q")).blockLast(TIMEOUT);
		client.shutdown().block(TIMEOUT);

		List<Map<String, Object>> events = events(file);
		assertThat(events).hasSize(1);
		assertThat(events.get(0).get("output")).isEqualTo("masked");
		// The lone surrogate is written as Jackson writes it, an escape read back as the same char.
		assertThat(events.get(0).get("raw_output")).isEqualTo(chunks);
	}
}

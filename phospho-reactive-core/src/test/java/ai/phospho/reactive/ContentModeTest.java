package ai.phospho.reactive;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import static ai.phospho.reactive.TestSupport.options;
import static org.assertj.core.api.Assertions.assertThat;

class ContentModeTest {

	private static LoggedTask logged(PhosphoOptions.ContentMode mode) {
		PhosphoOptions o = options(RecordingExporter.immediate()).contentMode(mode).build();
		return TaskBuilder.of(TaskLog.of(Map.of("model", "gpt-4o", "messages", List.of(
				TestSupport.message("system", "be brief"), TestSupport.message("user", "hello"))))
				.output(TestSupport.chatCompletion("world!")).metadata(Map.of("k", "v")).put("extra", "x"), o, null);
	}

	@Test
	void fullSendsEverything() {
		assertThat(logged(PhosphoOptions.ContentMode.FULL).toMap())
				.containsKeys("input", "output", "system_prompt", "raw_input", "raw_output", "extra");
	}

	@Test
	void noRawSendsTheTextsWithoutTheRawValues() {
		Map<String, Object> event = logged(PhosphoOptions.ContentMode.NO_RAW).toMap();
		assertThat(event).containsEntry("input", "hello").containsEntry("output", "world!")
				.containsEntry("system_prompt", "be brief").doesNotContainKeys("raw_input", "raw_output");
	}

	@Test
	void metadataOnlySendsAnEmptyInputTheLengthsModelAndIdsOnly() {
		LoggedTask t = logged(PhosphoOptions.ContentMode.METADATA_ONLY);
		Map<String, Object> event = t.toMap();
		assertThat(event).containsEntry("input", "").containsEntry("model", "gpt-4o-mini-2024-07-18")
				.doesNotContainKeys("output", "system_prompt", "raw_input", "raw_output", "extra")
				.containsKeys("task_id", "session_id", "client_created_at");
		assertThat(t.metadata()).containsEntry("input_chars", 5L).containsEntry("output_chars", 6L).containsEntry("k", "v");
	}

	@Test
	void aStreamInMetadataOnlyModeKeepsItsFactsButNoChunks() {
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = PhosphoClient.create(options(exporter).contentMode(PhosphoOptions.ContentMode.METADATA_ONLY).build());
		Flux.just("a", "b").transform(client.logStream("q")).blockLast(Duration.ofSeconds(5));
		client.flush().block(Duration.ofSeconds(10));
		Map<String, Object> event = exporter.tasks().get(0).toMap();
		assertThat(event).containsEntry("input", "").doesNotContainKeys("output", "raw_output");
		assertThat(exporter.tasks().get(0).metadata()).containsEntry("stream_status", "completed")
				.containsEntry("chunk_count", 2L).containsEntry("output_chars", 2L);
		client.shutdown().block(Duration.ofSeconds(10));
	}
}

package ai.phospho.reactive;

import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Shared bits of the core tests. */
final class TestSupport {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private TestSupport() {
	}

	/** Options for a test client: this exporter, no shutdown hook. */
	static PhosphoOptions.Builder options(TaskExporter exporter) {
		return PhosphoOptions.builder().exporter(exporter).shutdownHook(false);
	}

	/** A task built as {@code log} builds it, without a pipeline. */
	static LoggedTask task(TaskLog<?, ?> log) {
		return Tasks.create(log, options(RecordingExporter.immediate()).build(), null);
	}

	static LoggedTask task(Object input, Object output) {
		return task(TaskLog.of(input).output(output));
	}

	/** The JSON tree of {@code toMap()}, written and read back, to compare with the exported bytes. */
	static JsonNode treeOfMap(LoggedTask t) {
		return JSON.readTree(JSON.writeValueAsBytes(t.toMap()));
	}

	static JsonNode treeOfJson(LoggedTask t) {
		return JSON.readTree(t.json());
	}

	static JsonNode tree(String json) {
		return JSON.readTree(json);
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(String json) {
		return JSON.readValue(json, Map.class);
	}
}

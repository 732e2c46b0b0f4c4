package ai.phospho.reactive;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.phospho.reactive.export.TaskExporter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Shared bits of the core tests. */
public final class TestSupport {

	public static final JsonMapper JSON = JsonMapper.builder().build();

	private TestSupport() {
	}

	/** Options for a test client: this exporter, no shutdown hook. */
	public static PhosphoOptionsBuilder options(TaskExporter exporter) {
		return PhosphoOptions.builder().exporter(exporter).shutdownHook(false);
	}

	/** A task built as {@code log} builds it, without a pipeline. */
	public static LoggedTask task(TaskLog<?, ?> log) {
		return TaskBuilder.of(log, options(RecordingExporter.immediate()).build(), null);
	}

	public static LoggedTask task(Object input, Object output) {
		return task(TaskLog.of(input).output(output));
	}

	/** The JSON tree of {@code toMap()}, written and read back, to compare with the exported bytes. */
	public static JsonNode treeOfMap(LoggedTask t) {
		return JSON.readTree(JSON.writeValueAsBytes(t.toMap()));
	}

	public static JsonNode treeOfJson(LoggedTask t) {
		return JSON.readTree(t.json());
	}

	public static JsonNode tree(String json) {
		return JSON.readTree(json);
	}

	@SuppressWarnings("unchecked")
	public static Map<String, Object> map(String json) {
		return JSON.readValue(json, Map.class);
	}

	/** A {role, content} message. */
	public static Map<String, Object> message(String role, String content) {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("role", role);
		m.put("content", content);
		return m;
	}

	/** A ChatCompletion map with this content. */
	public static Map<String, Object> chatCompletion(String content) {
		Map<String, Object> msg = message("assistant", content);
		Map<String, Object> choice = new LinkedHashMap<>();
		choice.put("index", 0);
		choice.put("message", msg);
		choice.put("finish_reason", "stop");
		Map<String, Object> usage = new LinkedHashMap<>();
		usage.put("prompt_tokens", 27);
		usage.put("completion_tokens", 12);
		usage.put("total_tokens", 39);
		Map<String, Object> completion = new LinkedHashMap<>();
		completion.put("id", "chatcmpl-1");
		completion.put("object", "chat.completion");
		completion.put("model", "gpt-4o-mini-2024-07-18");
		completion.put("choices", List.of(choice));
		completion.put("usage", usage);
		return completion;
	}
}

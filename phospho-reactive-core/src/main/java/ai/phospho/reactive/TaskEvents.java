package ai.phospho.reactive;

import java.util.LinkedHashMap;
import java.util.Map;

import ai.phospho.reactive.internal.Json;
import org.jspecify.annotations.Nullable;

/**
 * A task read back from its event JSON (the form the disk spool keeps), such that it writes the
 * same event again: the same keys and values, the same {@code task_id}. Top-level keys other than
 * the event's own (token usage, keys given with {@link TaskLog#put}) come back as extras.
 */
final class TaskEvents {

	private TaskEvents() {
	}

	@SuppressWarnings("unchecked")
	static LoggedTask fromJson(byte[] json) {
		Map<String, Object> e = Json.mapper().readValue(json, LinkedHashMap.class);
		TaskDraft d = new TaskDraft();
		d.projectId = string(e.remove("project_id"));
		d.taskId = require(e.remove("task_id"), "task_id");
		d.sessionId = require(e.remove("session_id"), "session_id");
		d.input = require(e.remove("input"), "input");
		d.output = string(e.remove("output"));
		d.clientCreatedAt = e.remove("client_created_at") instanceof Number n ? n.longValue() : 0;
		d.lastUpdate = e.remove("last_update") instanceof Number n ? n.longValue() : null;
		d.versionId = require(e.remove("version_id"), "version_id");
		d.userId = string(e.remove("user_id"));
		d.testId = string(e.remove("test_id"));
		Object flag = e.remove("flag");
		d.flag = flag == null ? null : Flag.valueOf(flag.toString().toUpperCase(java.util.Locale.ROOT));
		d.metadata = e.remove("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
		d.rawInput = e.remove("raw_input");
		d.rawInputTypeName = string(e.remove("raw_input_type_name"));
		d.rawOutput = e.remove("raw_output");
		d.rawOutputTypeName = string(e.remove("raw_output_type_name"));
		d.environment = require(e.remove("environment"), "environment");
		d.systemPrompt = string(e.remove("system_prompt"));
		d.model = string(e.remove("model"));
		d.truncated = Boolean.TRUE.equals(e.remove("truncated"));
		d.extras = e.isEmpty() ? null : e;
		return d.build();
	}

	private static @Nullable String string(@Nullable Object v) {
		return v == null ? null : v.toString();
	}

	private static String require(@Nullable Object v, String key) {
		if (v == null) {
			throw new IllegalArgumentException("the spooled event has no " + key);
		}
		return v.toString();
	}
}

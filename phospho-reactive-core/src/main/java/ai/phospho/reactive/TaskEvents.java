package ai.phospho.reactive;

import java.util.LinkedHashMap;
import java.util.Map;

import ai.phospho.reactive.internal.Json;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.exc.StreamReadException;

/**
 * A task read back from its event JSON (the form the disk spool keeps), such that it writes the
 * same event again: the same keys and values, the same {@code task_id}. Top-level keys other than
 * the event's own (token usage, keys given with {@link TaskLog#put}) come back as extras.
 */
final class TaskEvents {

	private TaskEvents() {
	}

	static LoggedTask fromJson(byte[] json) {
		Map<String, Object> e;
		try {
			e = read(json);
		}
		catch (StreamReadException broken) {
			// Jackson writes a lone surrogate as an escape (a key given by the user, a map of a raw
			// value) and then cannot read it back in a property name: the task would be lost at the
			// restart the spool is for. Read again with each lone one as U+FFFD, as a UTF-8 encoder
			// replaces it.
			byte[] repaired = withoutLoneSurrogates(json);
			if (repaired == json) {
				throw broken;
			}
			e = read(repaired);
		}
		return task(e);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> read(byte[] json) {
		return Json.mapper().readValue(json, LinkedHashMap.class);
	}

	/**
	 * The JSON with every escaped lone surrogate (the escape of a high surrogate, D800 to DBFF, not
	 * followed by the escape of a low one, DC00 to DFFF, or a low one alone) made the escape of U+FFFD;
	 * {@code json} itself when there is none.
	 * A backslash occurs in JSON only as an escape within a string, so the bytes are read escape by
	 * escape; the bytes of UTF-8 cannot hold a surrogate.
	 */
	static byte[] withoutLoneSurrogates(byte[] json) {
		byte[] out = null;
		int n = json.length;
		for (int i = 0; i < n; i++) {
			if (json[i] != '\\' || i + 1 >= n) {
				continue;
			}
			if (json[i + 1] != 'u') {
				// Another escape, its character skipped (an escaped backslash is not the start of one).
				i++;
				continue;
			}
			int unit = hex4(json, i + 2);
			if (unit >= 0xD800 && unit <= 0xDBFF && i + 11 < n && json[i + 6] == '\\' && json[i + 7] == 'u') {
				int low = hex4(json, i + 8);
				if (low >= 0xDC00 && low <= 0xDFFF) {
					// A pair: left as it is.
					i += 11;
					continue;
				}
			}
			if (unit >= 0xD800 && unit <= 0xDFFF) {
				if (out == null) {
					out = json.clone();
				}
				// Same length: "\\uFFFD" over the six bytes of the escape.
				out[i + 2] = 'F';
				out[i + 3] = 'F';
				out[i + 4] = 'F';
				out[i + 5] = 'D';
			}
			i += 5;
		}
		return out == null ? json : out;
	}

	/** The value of the four hex digits at {@code at}, or -1. */
	private static int hex4(byte[] b, int at) {
		if (at + 4 > b.length) {
			return -1;
		}
		int v = 0;
		for (int k = at; k < at + 4; k++) {
			int d = Character.digit(b[k], 16);
			if (d < 0) {
				return -1;
			}
			v = v << 4 | d;
		}
		return v;
	}

	@SuppressWarnings("unchecked")
	private static LoggedTask task(Map<String, Object> e) {
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

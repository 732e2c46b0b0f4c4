package ai.phospho.reactive.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/** The token usage of an output, as the event's top-level keys. Internal: not public API. */
public final class Usages {

	/** Ollama's counts and durations (nanoseconds), sent as they are. */
	private static final String[] OLLAMA_COUNTS = {"prompt_eval_count", "eval_count", "total_duration",
		"load_duration", "prompt_eval_duration", "eval_duration"};

	/** Keys of the event itself, which a usage object cannot overwrite. */
	private static final Set<String> NOT_USAGE = Set.of("project_id", "input", "output", "client_created_at",
			"last_update", "metadata", "session_id", "task_id", "version_id", "user_id", "flag", "raw_input",
			"raw_input_type_name", "raw_output", "raw_output_type_name", "environment", "system_prompt", "model",
			"truncated");

	private Usages() {
	}

	/**
	 * Every token usage field of an output, in the order and under the names the provider gave, to be
	 * sent as top-level keys of the event as the SDK does: OpenAI's {@code usage} object whole
	 * ({@code prompt_tokens}, {@code completion_tokens}, {@code total_tokens}, the {@code *_details}
	 * objects), Anthropic's ({@code input_tokens}, {@code output_tokens}, ...). Ollama has no usage
	 * object: its counts and durations ({@code prompt_eval_count}, {@code eval_count},
	 * {@code *_duration}) are sent after {@code prompt_tokens}, {@code completion_tokens} and
	 * {@code total_tokens} derived from them. Numbers are kept as they are, fractions included.
	 * {@code null} when the output has none.
	 */
	public static @Nullable Map<String, Object> of(@Nullable Object plainOutput) {
		if (!(plainOutput instanceof Map<?, ?> map)) {
			return null;
		}
		Map<String, Object> out = new LinkedHashMap<>();
		if (map.get("usage") instanceof Map<?, ?> usage) {
			for (Map.Entry<?, ?> e : usage.entrySet()) {
				String key = String.valueOf(e.getKey());
				if (e.getValue() != null && !NOT_USAGE.contains(key)) {
					out.put(key, e.getValue());
				}
			}
			return out.isEmpty() ? null : out;
		}
		Object prompt = map.get("prompt_eval_count");
		Object completion = map.get("eval_count");
		if (!(prompt instanceof Number) && !(completion instanceof Number)) {
			return null;
		}
		if (prompt instanceof Number) {
			out.put("prompt_tokens", prompt);
		}
		if (completion instanceof Number) {
			out.put("completion_tokens", completion);
		}
		if (prompt instanceof Number p && completion instanceof Number c) {
			out.put("total_tokens", p instanceof Long && c instanceof Long ? (Object) (p.longValue() + c.longValue())
					: (Object) (p.doubleValue() + c.doubleValue()));
		}
		for (String key : OLLAMA_COUNTS) {
			if (map.get(key) instanceof Number n) {
				out.put(key, n);
			}
		}
		return out;
	}
}

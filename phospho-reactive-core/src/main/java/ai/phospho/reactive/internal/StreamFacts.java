package ai.phospho.reactive.internal;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a stream's chunks say besides their text, read from each chunk's plain form (or a map chunk
 * in place): the model (the first non-empty one: Azure's filter chunks have {@code model: ""}), the
 * usage (the last one seen: Perplexity and vLLM send cumulative usage on every chunk) and the tool
 * calls of choice 0.
 *
 * <p>Written by the stream's thread before it publishes the chunk, read once by the thread that
 * logs the task, which may be another one: the model and usage are immutable values in plain
 * fields (a racing reader sees this chunk's or an earlier one's), tool calls are guarded by their
 * own lock and only exist in streams that have them.
 */
public final class StreamFacts {

	private final int maxChars;
	private @Nullable String model;
	private @Nullable Map<String, Object> usage;
	private @Nullable ToolCalls toolCalls;
	private @Nullable String responseId;
	private @Nullable String finishReason;

	public StreamFacts(int maxChars) {
		this.maxChars = maxChars;
	}

	/** Reads one chunk's plain form (or map chunk). */
	public void add(Object plain) {
		if (model == null) {
			model = Extraction.modelOf(plain);
		}
		if (plain instanceof Map<?, ?> map) {
			if (responseId == null && map.get("id") instanceof String id && !id.isEmpty()) {
				responseId = id;
			}
			String reason = finishReason(map);
			if (reason != null) {
				finishReason = reason;
			}
			Object u = map.get("usage");
			Map<String, Object> found = u != null ? usageOf(u)
					: map.containsKey("eval_count") || map.containsKey("prompt_eval_count")
							? Usages.of(Plain.of(map, new ConversionBudget(maxChars))) : null;
			if (found != null) {
				usage = found;
			}
		}
		List<?> calls = Extraction.chunkToolCalls(plain);
		if (calls != null) {
			addToolCalls(calls);
		}
	}

	/**
	 * What {@link #add(Object)} takes from an OpenAI chunk, read once by {@link MapChunkPass}: its
	 * {@code model}, {@code id} and {@code usage}, choice 0's {@code finish_reason} and its delta's
	 * {@code tool_calls} (each null when absent). Applied in the same order, with the same rules.
	 */
	void add(@Nullable Object model, @Nullable Object id, @Nullable Object finish, @Nullable Object u,
			@Nullable Object calls) {
		if (this.model == null && model instanceof String m && !m.isEmpty()) {
			this.model = m;
		}
		if (responseId == null && id instanceof String s && !s.isEmpty()) {
			responseId = s;
		}
		if (finish instanceof String r && !r.isEmpty()) {
			finishReason = r;
		}
		if (u != null) {
			Map<String, Object> found = usageOf(u);
			if (found != null) {
				usage = found;
			}
		}
		if (calls instanceof List<?> list && !list.isEmpty()) {
			addToolCalls(list);
		}
	}

	/** The usage of a chunk's {@code usage} value, copied: a map chunk may be changed by its owner after it was emitted. */
	private @Nullable Map<String, Object> usageOf(Object u) {
		return Usages.of(Plain.of(Map.of("usage", u), new ConversionBudget(maxChars)));
	}

	private void addToolCalls(List<?> calls) {
		ToolCalls t = toolCalls;
		if (t == null) {
			t = new ToolCalls(maxChars);
			toolCalls = t;
		}
		t.add(calls);
	}

	/** Choice 0's {@code finish_reason} (OpenAI), or {@code done_reason} (Ollama); null when the chunk has none. */
	private static @Nullable String finishReason(Map<?, ?> chunk) {
		if (chunk.get("choices") instanceof List<?> choices && !choices.isEmpty()) {
			Map<?, ?> first = Extraction.firstChoice(choices);
			return first != null && first.get("finish_reason") instanceof String r && !r.isEmpty() ? r : null;
		}
		return chunk.get("done_reason") instanceof String r && !r.isEmpty() ? r : null;
	}

	/** The first non-empty {@code id} of the chunks: the provider's id of the response. */
	public @Nullable String responseId() {
		return responseId;
	}

	/** The last finish reason of choice 0 (or Ollama's done reason) seen. */
	public @Nullable String finishReason() {
		return finishReason;
	}

	/** Whether a model was seen: a chunk read only for its model can then be skipped. */
	public boolean hasModel() {
		return model != null;
	}

	public @Nullable String model() {
		return model;
	}

	/** The last usage seen, as {@link Extraction#usage} gives it. */
	public @Nullable Map<String, Object> usage() {
		return usage;
	}

	/** The output: the streamed text, then one line per tool call. */
	public String output(String text) {
		ToolCalls t = toolCalls;
		if (t == null) {
			return text;
		}
		String lines = t.render();
		return text.isEmpty() ? lines : lines.isEmpty() ? text : text + '\n' + lines;
	}
}

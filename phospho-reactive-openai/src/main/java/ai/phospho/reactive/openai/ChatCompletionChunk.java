package ai.phospho.reactive.openai;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * One event of a streamed completion. With {@code stream_options.include_usage} the last chunk has
 * no choices and carries the {@link Usage}; the others have {@code usage} null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatCompletionChunk(
		@Nullable String id,
		@Nullable String object,
		@Nullable Long created,
		@Nullable String model,
		List<Choice> choices,
		@Nullable Usage usage,
		@JsonProperty("system_fingerprint") @Nullable String systemFingerprint,
		@JsonProperty("service_tier") @Nullable String serviceTier,
		@JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

	public ChatCompletionChunk {
		choices = choices == null ? List.of() : List.copyOf(choices);
		extra = Json.extra(extra);
	}

	/** A chunk with one choice adding this text; for tests. */
	public static ChatCompletionChunk ofText(String model, @Nullable String text, @Nullable String finishReason) {
		Delta delta = new Delta(null, text, null, null, Map.of());
		return new ChatCompletionChunk(null, "chat.completion.chunk", null, model,
				List.of(new Choice(0, delta, finishReason, null, Map.of())), null, null, null, Map.of());
	}

	/**
	 * The text this chunk adds to the choice with {@code index} 0: its delta content and refusal,
	 * {@code ""} when there is none (a chunk of another choice, a usage or annotation chunk).
	 */
	public String text() {
		for (Choice c : choices) {
			if (c.index() == null || c.index() == 0) {
				return deltaText(c.delta());
			}
		}
		return "";
	}

	/** A delta's text: its content and refusal, {@code ""} for none. */
	static String deltaText(@Nullable Delta delta) {
		if (delta == null) {
			return "";
		}
		String content = delta.content() == null ? "" : delta.content();
		return delta.refusal() == null ? content : content + delta.refusal();
	}

	/** One choice's increment. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Choice(
			@Nullable Integer index,
			@Nullable Delta delta,
			@JsonProperty("finish_reason") @Nullable String finishReason,
			@Nullable Object logprobs,
			@JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

		public Choice {
			extra = Json.extra(extra);
		}
	}

	/** What a chunk adds to a message: the role (first chunk), content, tool call fragments, refusal. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Delta(
			@Nullable String role,
			@Nullable String content,
			@JsonProperty("tool_calls") @Nullable List<ToolCall> toolCalls,
			@Nullable String refusal,
			@JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

		public Delta {
			toolCalls = Json.list(toolCalls);
			extra = Json.extra(extra);
		}
	}
}

package ai.phospho.reactive.openai;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * A tool call of an assistant message, or a fragment of one in a streamed chunk: there
 * {@code index} says which call the fragment belongs to, only the first fragment has the
 * {@code id} and name, and {@code function.arguments} arrives in pieces to be concatenated.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ToolCall(
		@Nullable Integer index,
		@Nullable String id,
		@Nullable String type,
		@Nullable FunctionCall function,
		@JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

	public ToolCall {
		extra = Json.extra(extra);
	}

	/** A complete function call, as in an assistant message. */
	public static ToolCall function(String id, String name, String arguments) {
		return new ToolCall(null, id, "function", new FunctionCall(name, arguments, Map.of()), Map.of());
	}

	/** The function called and its arguments, a JSON text (possibly partial in a chunk). */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record FunctionCall(@Nullable String name, @Nullable String arguments,
			@JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

		public FunctionCall {
			extra = Json.extra(extra);
		}
	}
}

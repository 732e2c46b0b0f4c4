package ai.phospho.reactive.openai;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * A message of Ollama's {@code /api/chat}. Unlike OpenAI's, its tool calls carry their arguments
 * as an object, so they are kept as maps.
 *
 * @param images base64-encoded images
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OllamaMessage(
		String role,
		@Nullable String content,
		@Nullable String thinking,
		@Nullable List<String> images,
		@JsonProperty("tool_calls") @Nullable List<Map<String, Object>> toolCalls,
		@JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

	public OllamaMessage {
		Objects.requireNonNull(role, "role");
		images = Json.list(images);
		toolCalls = Json.list(toolCalls);
		extra = Json.extra(extra);
	}

	public static OllamaMessage of(String role, String content) {
		return new OllamaMessage(role, content, null, null, null, Map.of());
	}

	public static OllamaMessage system(String content) {
		return of("system", content);
	}

	public static OllamaMessage user(String content) {
		return of("user", content);
	}

	public static OllamaMessage assistant(String content) {
		return of("assistant", content);
	}
}

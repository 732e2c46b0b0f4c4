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
 * The body of Ollama's {@code POST /api/chat}. Ollama streams unless {@code stream} is
 * {@code false}. Tools use OpenAI's {@link Tool} shape.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OllamaChatRequest(
		String model,
		List<OllamaMessage> messages,
		@Nullable List<Tool> tools,
		@Nullable Object format,
		@Nullable Map<String, Object> options,
		@Nullable Boolean stream,
		@Nullable Object think,
		@JsonProperty("keep_alive") @Nullable Object keepAlive,
		@JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

	public OllamaChatRequest {
		Objects.requireNonNull(model, "model");
		messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
		tools = Json.list(tools);
		options = Json.map(options);
		extra = Json.extra(extra);
	}

	/** A request with these messages and the server's defaults for everything else. */
	public static OllamaChatRequest of(String model, List<OllamaMessage> messages) {
		return new OllamaChatRequest(model, messages, null, null, null, null, null, null, Map.of());
	}

	/** This request with {@code stream} set. */
	public OllamaChatRequest withStream(boolean stream) {
		return new OllamaChatRequest(model, messages, tools, format, options, stream, think, keepAlive, extra);
	}

	/** This request with these model options ({@code temperature}, {@code num_ctx}, ...). */
	public OllamaChatRequest withOptions(@Nullable Map<String, Object> options) {
		return new OllamaChatRequest(model, messages, tools, format, options, stream, think, keepAlive, extra);
	}
}

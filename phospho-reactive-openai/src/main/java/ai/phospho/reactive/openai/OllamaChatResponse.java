package ai.phospho.reactive.openai;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** One line of {@code /api/chat}'s NDJSON stream, or its whole reply; the last has {@code done: true}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OllamaChatResponse(
		@Nullable String model,
		@JsonProperty("created_at") @Nullable String createdAt,
		@Nullable OllamaMessage message,
		@Nullable Boolean done,
		@JsonProperty("done_reason") @Nullable String doneReason,
		@JsonProperty("total_duration") @Nullable Long totalDuration,
		@JsonProperty("load_duration") @Nullable Long loadDuration,
		@JsonProperty("prompt_eval_count") @Nullable Long promptEvalCount,
		@JsonProperty("prompt_eval_duration") @Nullable Long promptEvalDuration,
		@JsonProperty("eval_count") @Nullable Long evalCount,
		@JsonProperty("eval_duration") @Nullable Long evalDuration,
		@JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

	public OllamaChatResponse {
		extra = Json.extra(extra);
	}

	/** Whether this is the last line: Ollama's stop rule. */
	public boolean finished() {
		return Boolean.TRUE.equals(done);
	}

	/** The text this line adds, {@code ""} when none. */
	public String text() {
		return message == null || message.content() == null ? "" : message.content();
	}

	/** This reply with another message: used to assemble a stream into one reply. */
	OllamaChatResponse withMessage(OllamaMessage message) {
		return new OllamaChatResponse(model, createdAt, message, done, doneReason, totalDuration, loadDuration,
				promptEvalCount, promptEvalDuration, evalCount, evalDuration, extra);
	}
}

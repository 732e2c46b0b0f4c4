package ai.phospho.reactive.openai;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * One line of {@code /api/generate}'s NDJSON stream, or its whole reply without streaming. The
 * last line has {@code done: true}, the {@code context} and the counts; durations are nanoseconds.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OllamaGenerateResponse(
		@Nullable String model,
		@JsonProperty("created_at") @Nullable String createdAt,
		@Nullable String response,
		@Nullable String thinking,
		@Nullable Boolean done,
		@JsonProperty("done_reason") @Nullable String doneReason,
		@Nullable List<Long> context,
		@JsonProperty("total_duration") @Nullable Long totalDuration,
		@JsonProperty("load_duration") @Nullable Long loadDuration,
		@JsonProperty("prompt_eval_count") @Nullable Long promptEvalCount,
		@JsonProperty("prompt_eval_duration") @Nullable Long promptEvalDuration,
		@JsonProperty("eval_count") @Nullable Long evalCount,
		@JsonProperty("eval_duration") @Nullable Long evalDuration,
		@JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

	public OllamaGenerateResponse {
		context = Json.list(context);
		extra = Json.extra(extra);
	}

	/** Whether this is the last line: Ollama's stop rule. */
	public boolean finished() {
		return Boolean.TRUE.equals(done);
	}

	/** The text this line adds, {@code ""} when none. */
	public String text() {
		return response == null ? "" : response;
	}

	/** This reply with another {@code response} and {@code thinking}: used to assemble a stream into one reply. */
	OllamaGenerateResponse withResponse(String text, @Nullable String thinking) {
		return new OllamaGenerateResponse(model, createdAt, text, thinking, done, doneReason, context, totalDuration,
				loadDuration, promptEvalCount, promptEvalDuration, evalCount, evalDuration, extra);
	}
}

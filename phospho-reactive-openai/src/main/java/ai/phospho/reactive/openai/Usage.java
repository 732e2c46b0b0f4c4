package ai.phospho.reactive.openai;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** Token usage of a completion; the {@code *_details} objects are kept as maps. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Usage(
		@JsonProperty("prompt_tokens") @Nullable Long promptTokens,
		@JsonProperty("completion_tokens") @Nullable Long completionTokens,
		@JsonProperty("total_tokens") @Nullable Long totalTokens,
		@JsonProperty("prompt_tokens_details") @Nullable Map<String, Object> promptTokensDetails,
		@JsonProperty("completion_tokens_details") @Nullable Map<String, Object> completionTokensDetails,
		@JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

	public Usage {
		promptTokensDetails = Json.map(promptTokensDetails);
		completionTokensDetails = Json.map(completionTokensDetails);
		extra = Json.extra(extra);
	}

	/** Usage with the three counts only. */
	public static Usage of(long promptTokens, long completionTokens, long totalTokens) {
		return new Usage(promptTokens, completionTokens, totalTokens, null, null, Map.of());
	}
}

package ai.phospho.reactive.openai;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** The reply of {@code POST /chat/completions} without streaming. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatCompletion(
		@Nullable String id,
		@Nullable String object,
		@Nullable Long created,
		@Nullable String model,
		List<Choice> choices,
		@Nullable Usage usage,
		@JsonProperty("system_fingerprint") @Nullable String systemFingerprint,
		@JsonProperty("service_tier") @Nullable String serviceTier,
		@JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

	public ChatCompletion {
		choices = choices == null ? List.of() : List.copyOf(choices);
		extra = Json.extra(extra);
	}

	/** A completion with one choice holding this assistant message; for tests and adapters. */
	public static ChatCompletion of(String model, ChatMessage message, @Nullable Usage usage) {
		return new ChatCompletion(null, "chat.completion", null, model,
				List.of(new Choice(0, message, "stop", null, Map.of())), usage, null, null, Map.of());
	}

	/** The content of the message of the choice with {@code index} 0, {@code null} when there is none. */
	public @Nullable String text() {
		for (Choice c : choices) {
			if ((c.index() == null || c.index() == 0) && c.message() != null) {
				return c.message().text();
			}
		}
		return null;
	}

	/** One choice of a completion. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Choice(
			@Nullable Integer index,
			@Nullable ChatMessage message,
			@JsonProperty("finish_reason") @Nullable String finishReason,
			@Nullable Object logprobs,
			@JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

		public Choice {
			extra = Json.extra(extra);
		}
	}
}

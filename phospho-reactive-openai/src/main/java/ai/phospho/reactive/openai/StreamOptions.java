package ai.phospho.reactive.openai;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** {@code stream_options}: with {@code include_usage} the server sends a last chunk with the usage. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamOptions(
		@JsonProperty("include_usage") @Nullable Boolean includeUsage,
		@JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

	public StreamOptions {
		extra = Json.extra(extra);
	}

	/** {@code {"include_usage": true}}. */
	public static StreamOptions includingUsage() {
		return new StreamOptions(true, Map.of());
	}
}

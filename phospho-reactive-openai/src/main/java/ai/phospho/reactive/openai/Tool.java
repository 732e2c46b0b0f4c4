package ai.phospho.reactive.openai;

import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/** A tool the model may call: {@code {"type": "function", "function": {name, description, parameters}}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Tool(
		String type,
		@Nullable Function function,
		@JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

	public Tool {
		Objects.requireNonNull(type, "type");
		extra = Json.extra(extra);
	}

	/**
	 * A function tool.
	 *
	 * @param parameters its JSON Schema, as maps and lists
	 */
	public static Tool function(String name, @Nullable String description, @Nullable Map<String, Object> parameters) {
		return new Tool("function", new Function(name, description, parameters, null, Map.of()), Map.of());
	}

	/** A function's definition. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Function(String name, @Nullable String description, @Nullable Map<String, Object> parameters,
			@Nullable Boolean strict, @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

		public Function {
			Objects.requireNonNull(name, "name");
			parameters = Json.map(parameters);
			extra = Json.extra(extra);
		}
	}
}

package ai.phospho.reactive.openai;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The body of Ollama's {@code POST /api/generate}. Ollama streams unless {@code stream} is
 * {@code false}.
 *
 * <pre>{@code
 * OllamaGenerateRequest.builder("mistral-7b", "Explain quantum computers in less than 20 words.")
 *     .context(List.of())
 *     .build();
 * }</pre>
 *
 * @param format  {@code "json"} or a JSON Schema
 * @param options model parameters such as {@code temperature}, {@code num_ctx}
 * @param context the context a previous reply returned, to keep a short conversational memory
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OllamaGenerateRequest(
		String model,
		@Nullable String prompt,
		@Nullable String suffix,
		@Nullable String system,
		@Nullable String template,
		@Nullable List<String> images,
		@Nullable Object format,
		@Nullable Map<String, Object> options,
		@Nullable List<Long> context,
		@Nullable Boolean stream,
		@Nullable Boolean raw,
		@Nullable Object think,
		@JsonProperty("keep_alive") @Nullable Object keepAlive,
		@JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

	public OllamaGenerateRequest {
		Objects.requireNonNull(model, "model");
		images = Json.list(images);
		options = Json.map(options);
		context = Json.list(context);
		extra = Json.extra(extra);
	}

	public static Builder builder(String model, String prompt) {
		return new Builder(model, prompt);
	}

	/** This request with {@code stream} set. */
	public OllamaGenerateRequest withStream(boolean stream) {
		return new OllamaGenerateRequest(model, prompt, suffix, system, template, images, format, options, context,
				stream, raw, think, keepAlive, extra);
	}

	/** Builds an {@link OllamaGenerateRequest}. */
	public static final class Builder {
		private final String model;
		private final String prompt;
		private @Nullable String suffix;
		private @Nullable String system;
		private @Nullable String template;
		private @Nullable List<String> images;
		private @Nullable Object format;
		private @Nullable Map<String, Object> options;
		private @Nullable List<Long> context;
		private @Nullable Boolean stream;
		private @Nullable Boolean raw;
		private @Nullable Object think;
		private @Nullable Object keepAlive;
		private final Map<String, Object> extra = new LinkedHashMap<>();

		private Builder(String model, String prompt) {
			this.model = Objects.requireNonNull(model, "model");
			this.prompt = Objects.requireNonNull(prompt, "prompt");
		}

		public Builder suffix(@Nullable String suffix) {
			this.suffix = suffix;
			return this;
		}

		public Builder system(@Nullable String system) {
			this.system = system;
			return this;
		}

		public Builder template(@Nullable String template) {
			this.template = template;
			return this;
		}

		public Builder images(@Nullable List<String> images) {
			this.images = images;
			return this;
		}

		public Builder format(@Nullable Object format) {
			this.format = format;
			return this;
		}

		public Builder options(@Nullable Map<String, Object> options) {
			this.options = options;
			return this;
		}

		public Builder context(@Nullable List<Long> context) {
			this.context = context;
			return this;
		}

		public Builder stream(@Nullable Boolean stream) {
			this.stream = stream;
			return this;
		}

		public Builder raw(@Nullable Boolean raw) {
			this.raw = raw;
			return this;
		}

		public Builder think(@Nullable Object think) {
			this.think = think;
			return this;
		}

		/** How long the model stays loaded: {@code "5m"}, seconds, or {@code 0}. */
		public Builder keepAlive(@Nullable Object keepAlive) {
			this.keepAlive = keepAlive;
			return this;
		}

		/** Any other field. */
		public Builder put(String name, @Nullable Object value) {
			extra.put(Objects.requireNonNull(name, "name"), value);
			return this;
		}

		public OllamaGenerateRequest build() {
			return new OllamaGenerateRequest(model, prompt, suffix, system, template, images, format, options, context,
					stream, raw, think, keepAlive, extra);
		}
	}
}

package ai.phospho.reactive.openai;

import java.util.ArrayList;
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
 * The body of {@code POST /chat/completions}. Fields left null are not sent; parameters without
 * a component go through {@link Builder#put(String, Object)} and are kept in {@link #extra()}.
 *
 * <pre>{@code
 * ChatCompletionRequest query = ChatCompletionRequest.builder("gpt-4o-mini")
 *     .system("You are a helpful assistant.")
 *     .user("Explain quantum computers in less than 20 words.")
 *     .temperature(0.2)
 *     .build();
 * }</pre>
 *
 * @param stop        a string or a list of up to four strings
 * @param toolChoice  {@code "none"}, {@code "auto"}, {@code "required"} or an object naming a tool
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatCompletionRequest(
		String model,
		List<ChatMessage> messages,
		@Nullable Double temperature,
		@JsonProperty("top_p") @Nullable Double topP,
		@JsonProperty("max_tokens") @Nullable Integer maxTokens,
		@JsonProperty("max_completion_tokens") @Nullable Integer maxCompletionTokens,
		@Nullable Object stop,
		@Nullable Integer n,
		@Nullable Long seed,
		@Nullable String user,
		@JsonProperty("response_format") @Nullable Map<String, Object> responseFormat,
		@Nullable Boolean stream,
		@JsonProperty("stream_options") @Nullable StreamOptions streamOptions,
		@Nullable List<Tool> tools,
		@JsonProperty("tool_choice") @Nullable Object toolChoice,
		@JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

	public ChatCompletionRequest {
		Objects.requireNonNull(model, "model");
		messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
		responseFormat = Json.map(responseFormat);
		tools = Json.list(tools);
		extra = Json.extra(extra);
	}

	/** A builder for this model. */
	public static Builder builder(String model) {
		return new Builder(model);
	}

	/** A request for this model with these messages and nothing else. */
	public static ChatCompletionRequest of(String model, List<ChatMessage> messages) {
		return builder(model).messages(messages).build();
	}

	/** A builder holding this request's values. */
	public Builder toBuilder() {
		Builder b = new Builder(model).messages(messages);
		b.temperature = temperature;
		b.topP = topP;
		b.maxTokens = maxTokens;
		b.maxCompletionTokens = maxCompletionTokens;
		b.stop = stop;
		b.n = n;
		b.seed = seed;
		b.user = user;
		b.responseFormat = responseFormat;
		b.stream = stream;
		b.streamOptions = streamOptions;
		b.tools = tools == null ? null : new ArrayList<>(tools);
		b.toolChoice = toolChoice;
		b.extra.putAll(extra);
		return b;
	}

	/** Builds a {@link ChatCompletionRequest}; a builder is used on one thread. */
	public static final class Builder {
		private final String model;
		private final List<ChatMessage> messages = new ArrayList<>();
		private @Nullable Double temperature;
		private @Nullable Double topP;
		private @Nullable Integer maxTokens;
		private @Nullable Integer maxCompletionTokens;
		private @Nullable Object stop;
		private @Nullable Integer n;
		private @Nullable Long seed;
		private @Nullable String user;
		private @Nullable Map<String, Object> responseFormat;
		private @Nullable Boolean stream;
		private @Nullable StreamOptions streamOptions;
		private @Nullable List<Tool> tools;
		private @Nullable Object toolChoice;
		private final Map<String, Object> extra = new LinkedHashMap<>();

		private Builder(String model) {
			this.model = Objects.requireNonNull(model, "model");
		}

		/** Appends a message. */
		public Builder message(ChatMessage message) {
			messages.add(Objects.requireNonNull(message, "message"));
			return this;
		}

		/** Appends these messages. */
		public Builder messages(List<ChatMessage> messages) {
			for (ChatMessage m : messages) {
				message(m);
			}
			return this;
		}

		public Builder system(String content) {
			return message(ChatMessage.system(content));
		}

		public Builder user(String content) {
			return message(ChatMessage.user(content));
		}

		public Builder assistant(String content) {
			return message(ChatMessage.assistant(content));
		}

		public Builder temperature(@Nullable Double temperature) {
			this.temperature = temperature;
			return this;
		}

		public Builder topP(@Nullable Double topP) {
			this.topP = topP;
			return this;
		}

		public Builder maxTokens(@Nullable Integer maxTokens) {
			this.maxTokens = maxTokens;
			return this;
		}

		public Builder maxCompletionTokens(@Nullable Integer maxCompletionTokens) {
			this.maxCompletionTokens = maxCompletionTokens;
			return this;
		}

		/** One stop sequence. */
		public Builder stop(@Nullable String stop) {
			this.stop = stop;
			return this;
		}

		/** Up to four stop sequences. */
		public Builder stop(List<String> stop) {
			this.stop = List.copyOf(stop);
			return this;
		}

		public Builder n(@Nullable Integer n) {
			this.n = n;
			return this;
		}

		public Builder seed(@Nullable Long seed) {
			this.seed = seed;
			return this;
		}

		/** The {@code user} field: an id of the end user (not a message; see {@link #user(String)}). */
		public Builder endUserId(@Nullable String user) {
			this.user = user;
			return this;
		}

		/** {@code {"type": "json_object"}}, or a {@code json_schema} object. */
		public Builder responseFormat(@Nullable Map<String, Object> responseFormat) {
			this.responseFormat = responseFormat;
			return this;
		}

		public Builder stream(@Nullable Boolean stream) {
			this.stream = stream;
			return this;
		}

		public Builder streamOptions(@Nullable StreamOptions streamOptions) {
			this.streamOptions = streamOptions;
			return this;
		}

		/** Appends a tool. */
		public Builder tool(Tool tool) {
			if (tools == null) {
				tools = new ArrayList<>();
			}
			tools.add(Objects.requireNonNull(tool, "tool"));
			return this;
		}

		public Builder toolChoice(@Nullable Object toolChoice) {
			this.toolChoice = toolChoice;
			return this;
		}

		/** Any other parameter, sent as a top-level field. */
		public Builder put(String name, @Nullable Object value) {
			extra.put(Objects.requireNonNull(name, "name"), value);
			return this;
		}

		public ChatCompletionRequest build() {
			return new ChatCompletionRequest(model, messages, temperature, topP, maxTokens, maxCompletionTokens, stop,
					n, seed, user, responseFormat, stream, streamOptions, tools, toolChoice, extra);
		}
	}
}

package ai.phospho.reactive.openai;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * One message of a conversation: {@code role} ({@code system}, {@code developer}, {@code user},
 * {@code assistant}, {@code tool}) and {@code content}, either a {@code String} or a list of
 * {@link ContentPart}s (a list of maps read from JSON is turned into parts).
 *
 * <pre>{@code
 * List<ChatMessage> messages = List.of(
 *     ChatMessage.system("You are a helpful assistant."),
 *     ChatMessage.user("Explain quantum computers in less than 20 words."));
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatMessage(
		String role,
		@Nullable Object content,
		@Nullable String name,
		@JsonProperty("tool_calls") @Nullable List<ToolCall> toolCalls,
		@JsonProperty("tool_call_id") @Nullable String toolCallId,
		@Nullable String refusal,
		@JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

	/**
	 * @throws IllegalArgumentException when {@code content} is neither a string nor a list of parts
	 */
	public ChatMessage {
		Objects.requireNonNull(role, "role");
		content = content(content);
		toolCalls = Json.list(toolCalls);
		extra = Json.extra(extra);
	}

	public static ChatMessage of(String role, @Nullable String content) {
		return new ChatMessage(role, content, null, null, null, null, Map.of());
	}

	public static ChatMessage system(String content) {
		return of("system", content);
	}

	public static ChatMessage developer(String content) {
		return of("developer", content);
	}

	public static ChatMessage user(String content) {
		return of("user", content);
	}

	/** A user message made of parts, such as text and images. */
	public static ChatMessage user(List<ContentPart> parts) {
		return new ChatMessage("user", parts, null, null, null, null, Map.of());
	}

	public static ChatMessage assistant(@Nullable String content) {
		return of("assistant", content);
	}

	/** An assistant message that calls tools. */
	public static ChatMessage assistant(@Nullable String content, List<ToolCall> toolCalls) {
		return new ChatMessage("assistant", content, null, toolCalls, null, null, Map.of());
	}

	/** The result of a tool call. */
	public static ChatMessage tool(String toolCallId, String content) {
		return new ChatMessage("tool", content, null, null, toolCallId, null, Map.of());
	}

	/** The content as text: the string, or the text parts joined with {@code \n}; {@code null} without content. */
	public @Nullable String text() {
		if (content == null || content instanceof String) {
			return (String) content;
		}
		StringBuilder sb = new StringBuilder();
		for (Object part : (List<?>) content) {
			if (part instanceof ContentPart p && p.text() != null) {
				if (sb.length() > 0) {
					sb.append('\n');
				}
				sb.append(p.text());
			}
		}
		return sb.toString();
	}

	private static @Nullable Object content(@Nullable Object content) {
		if (content == null || content instanceof String) {
			return content;
		}
		if (content instanceof List<?> list) {
			List<ContentPart> parts = new ArrayList<>(list.size());
			for (Object o : list) {
				if (o instanceof ContentPart p) {
					parts.add(p);
				}
				else if (o instanceof String s) {
					parts.add(ContentPart.text(s));
				}
				else if (o instanceof Map<?, ?> m) {
					parts.add(Json.MAPPER.convertValue(m, ContentPart.class));
				}
				else {
					throw new IllegalArgumentException("content part must be a ContentPart, a String or a Map, not "
							+ (o == null ? "null" : o.getClass().getName()));
				}
			}
			return Collections.unmodifiableList(parts);
		}
		throw new IllegalArgumentException(
				"content must be a String or a List of ContentPart, not " + content.getClass().getName());
	}
}

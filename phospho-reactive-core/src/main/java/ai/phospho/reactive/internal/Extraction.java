package ai.phospho.reactive.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The Python SDK's extraction rules, applied to plain JSON forms (see {@link Plain}): the text of
 * an input, an output or a streamed chunk, the system prompt, the model and the token usage.
 * Every method is total: unknown shapes give their JSON text, never an exception.
 */
public final class Extraction {

	private Extraction() {
	}

	/**
	 * The input text: a string as is; the content of the last of a request's {@code messages}; the
	 * last run of consecutive {@code user} messages of a message list; an Ollama {@code prompt};
	 * otherwise the JSON text.
	 */
	public static String inputText(@Nullable Object plain) {
		if (plain == null) {
			return "";
		}
		if (plain instanceof String s) {
			return s;
		}
		if (plain instanceof Map<?, ?> map) {
			if (map.get("messages") instanceof List<?> messages && !messages.isEmpty()) {
				return content(messages.get(messages.size() - 1));
			}
			if (map.get("prompt") instanceof String prompt) {
				return prompt;
			}
		}
		else if (isMessageList(plain)) {
			return lastRun((List<?>) plain, "user");
		}
		return Plain.jsonText(plain);
	}

	/**
	 * The output text: a string as is; {@code choices[0].message.content} of a chat completion,
	 * {@code choices[0].delta.content} of a chunk ({@code ""} when null), {@code choices[0].text};
	 * Ollama's {@code response} or {@code message.content}; the last run of consecutive
	 * {@code assistant} messages of a message list; otherwise the JSON text. {@code null} stays null.
	 */
	public static @Nullable String outputText(@Nullable Object plain) {
		if (plain == null) {
			return null;
		}
		if (plain instanceof String s) {
			return s;
		}
		String known = knownOutputText(plain);
		if (known != null) {
			return known;
		}
		if (isMessageList(plain)) {
			return lastRun((List<?>) plain, "assistant");
		}
		return Plain.jsonText(plain);
	}

	/** The text one streamed chunk adds: as {@link #outputText} but {@code ""} for unknown shapes' nulls. */
	public static String chunkText(@Nullable Object plain) {
		String s = outputText(plain);
		return s == null ? "" : s;
	}

	private static @Nullable String knownOutputText(Object plain) {
		if (!(plain instanceof Map<?, ?> map)) {
			return null;
		}
		if (map.get("choices") instanceof List<?> choices) {
			if (choices.isEmpty()) {
				// The trailing usage chunk of a stream has no choices and no text.
				return "";
			}
			if (choices.get(0) instanceof Map<?, ?> choice) {
				if (choice.get("message") instanceof Map<?, ?> message) {
					return textOrEmpty(message.get("content"));
				}
				if (choice.containsKey("delta")) {
					return choice.get("delta") instanceof Map<?, ?> delta ? textOrEmpty(delta.get("content")) : "";
				}
				if (choice.get("text") instanceof String text) {
					return text;
				}
			}
		}
		if (map.get("response") instanceof String response) {
			return response;
		}
		if (map.get("message") instanceof Map<?, ?> message && message.containsKey("content")) {
			return textOrEmpty(message.get("content"));
		}
		return null;
	}

	/**
	 * The system prompt: the first message of a request when its role is {@code system}; an
	 * Anthropic-style {@code system} key; every {@code system} message of a list, joined with
	 * {@code \n}. {@code null} when there is none.
	 */
	public static @Nullable String systemPrompt(@Nullable Object plain) {
		if (plain instanceof Map<?, ?> map) {
			if (map.get("messages") instanceof List<?> messages && !messages.isEmpty()
					&& messages.get(0) instanceof Map<?, ?> first && "system".equals(first.get("role"))) {
				return content(first);
			}
			Object system = map.get("system");
			if (system instanceof String s) {
				return s;
			}
			if (system instanceof List<?> parts) {
				return joinParts(parts);
			}
			return null;
		}
		if (isMessageList(plain)) {
			List<String> systems = new ArrayList<>();
			for (Object m : (List<?>) plain) {
				if ("system".equals(((Map<?, ?>) m).get("role"))) {
					systems.add(content(m));
				}
			}
			return systems.isEmpty() ? null : String.join("\n", systems);
		}
		return null;
	}

	/** The output's {@code model}, else the input's; {@code null} when neither has one. */
	public static @Nullable String model(@Nullable Object plainInput, @Nullable Object plainOutput) {
		if (plainOutput instanceof Map<?, ?> out && out.get("model") instanceof String m) {
			return m;
		}
		if (plainInput instanceof Map<?, ?> in && in.get("model") instanceof String m) {
			return m;
		}
		return null;
	}

	/**
	 * Token usage of an output: OpenAI's {@code usage} object, or Ollama's
	 * {@code prompt_eval_count}/{@code eval_count}. {@code null} when absent.
	 */
	public static @Nullable Usage usage(@Nullable Object plainOutput) {
		if (!(plainOutput instanceof Map<?, ?> map)) {
			return null;
		}
		if (map.get("usage") instanceof Map<?, ?> usage) {
			Long prompt = longValue(usage.get("prompt_tokens"));
			Long completion = longValue(usage.get("completion_tokens"));
			Long total = longValue(usage.get("total_tokens"));
			if (prompt == null) {
				prompt = longValue(usage.get("input_tokens"));
			}
			if (completion == null) {
				completion = longValue(usage.get("output_tokens"));
			}
			if (prompt == null && completion == null && total == null) {
				return null;
			}
			return new Usage(prompt, completion, total);
		}
		Long prompt = longValue(map.get("prompt_eval_count"));
		Long completion = longValue(map.get("eval_count"));
		if (prompt == null && completion == null) {
			return null;
		}
		Long total = prompt != null && completion != null ? (Long) (prompt + completion) : null;
		return new Usage(prompt, completion, total);
	}

	/**
	 * The built-in default stop rule for a chunk's plain form: it carries {@code usage} (OpenAI sends
	 * it last with {@code stream_options.include_usage}) or it is an Ollama {@code "done": true}.
	 */
	public static boolean isFinalChunk(@Nullable Object plain) {
		if (!(plain instanceof Map<?, ?> map)) {
			return false;
		}
		return map.get("usage") instanceof Map<?, ?> || Boolean.TRUE.equals(map.get("done"));
	}

	/** Token counts; any may be {@code null}. */
	public record Usage(@Nullable Long promptTokens, @Nullable Long completionTokens, @Nullable Long totalTokens) {
	}

	static boolean isMessageList(@Nullable Object plain) {
		if (!(plain instanceof List<?> list) || list.isEmpty()) {
			return false;
		}
		for (Object o : list) {
			if (!(o instanceof Map<?, ?> m) || !(m.get("role") instanceof String)) {
				return false;
			}
		}
		return true;
	}

	private static String lastRun(List<?> messages, String role) {
		int end = messages.size() - 1;
		while (end >= 0 && !role.equals(((Map<?, ?>) messages.get(end)).get("role"))) {
			end--;
		}
		if (end < 0) {
			return "";
		}
		int start = end;
		while (start > 0 && role.equals(((Map<?, ?>) messages.get(start - 1)).get("role"))) {
			start--;
		}
		if (start == end) {
			return content(messages.get(end));
		}
		StringBuilder sb = new StringBuilder();
		for (int i = start; i <= end; i++) {
			if (i > start) {
				sb.append('\n');
			}
			sb.append(content(messages.get(i)));
		}
		return sb.toString();
	}

	/** A message's content: a string, or the text of its content parts joined with {@code \n}. */
	private static String content(@Nullable Object message) {
		if (message instanceof Map<?, ?> m) {
			return textOrEmpty(m.get("content"));
		}
		return message instanceof String s ? s : Plain.jsonText(message);
	}

	private static String textOrEmpty(@Nullable Object content) {
		if (content == null) {
			return "";
		}
		if (content instanceof String s) {
			return s;
		}
		if (content instanceof List<?> parts) {
			return joinParts(parts);
		}
		return Plain.jsonText(content);
	}

	private static String joinParts(List<?> parts) {
		StringBuilder sb = new StringBuilder();
		for (Object part : parts) {
			String text = part instanceof String s ? s
					: part instanceof Map<?, ?> m && m.get("text") instanceof String t ? t : null;
			if (text != null) {
				if (sb.length() > 0) {
					sb.append('\n');
				}
				sb.append(text);
			}
		}
		return sb.toString();
	}

	private static @Nullable Long longValue(@Nullable Object o) {
		if (o instanceof Number n) {
			return n.longValue();
		}
		return null;
	}
}

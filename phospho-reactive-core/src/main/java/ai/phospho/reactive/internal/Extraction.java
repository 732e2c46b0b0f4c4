package ai.phospho.reactive.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
	 * The input text: a string as is; the content of the last of a request's {@code messages} (the
	 * request's JSON text when that message has no content); the last run of consecutive
	 * {@code user} messages of a message list; an Ollama {@code prompt}; otherwise the JSON text.
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
				// As the SDK: a last message without content (null, missing, not a message) gives the
				// text of the whole request, never "".
				String last = messages.get(messages.size() - 1) instanceof Map<?, ?> m ? textOrNull(m.get("content"))
						: null;
				return last != null ? last : Json.text(plain);
			}
			if (map.get("prompt") instanceof String prompt) {
				return prompt;
			}
		}
		else if (isMessageList(plain)) {
			return lastRun((List<?>) plain, "user");
		}
		return Json.text(plain);
	}

	/**
	 * The output text: a string as is; the message of the choice with {@code index} 0 of a chat
	 * completion (see {@link #messageText}), the {@code delta} content and refusal of that choice in
	 * a chunk ({@code ""} when none), {@code choices[0].text}; Ollama's {@code response} or
	 * {@code message}; the last run of consecutive {@code assistant} messages of a message list;
	 * otherwise the JSON text. {@code null} stays null.
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
		return Json.text(plain);
	}

	/**
	 * The text one streamed chunk adds: as {@link #outputText} but {@code ""} for unknown shapes' nulls,
	 * and without tool calls, which are joined across the stream.
	 */
	public static String chunkText(@Nullable Object plain) {
		if (plain instanceof Map<?, ?> map && !map.containsKey("choices") && !(map.get("response") instanceof String)
				&& map.get("message") instanceof Map<?, ?> message) {
			// An Ollama chat line: its content; its tool calls are gathered across the stream (StreamFacts).
			return textOrEmpty(message.get("content"));
		}
		String s = outputText(plain);
		return s == null ? "" : s;
	}

	private static @Nullable String knownOutputText(Object plain) {
		if (!(plain instanceof Map<?, ?> map)) {
			return null;
		}
		if (map.get("choices") instanceof List<?> choices) {
			if (choices.isEmpty()) {
				// A stream's usage chunk or a provider's annotation chunk: no text.
				return "";
			}
			Map<?, ?> choice = firstChoice(choices);
			if (choice == null) {
				// Only other choices (n > 1): this chunk adds nothing to choice 0.
				return "";
			}
			if (choice.containsKey("delta")) {
				// A chunk; Perplexity's also carry the text so far as a "message", not to be added again.
				return choice.get("delta") instanceof Map<?, ?> delta ? deltaText(delta) : "";
			}
			if (choice.get("message") instanceof Map<?, ?> message) {
				String text = messageText(message);
				// As the SDK: a message without any text gives the JSON text of the whole completion.
				return text != null ? text : Json.text(plain);
			}
			if (choice.get("text") instanceof String text) {
				return text;
			}
			if (!choice.containsKey("message")) {
				// An annotation of a choice (Azure's content filter results) carries no text.
				return "";
			}
		}
		if (map.get("response") instanceof String response) {
			return response;
		}
		if (map.get("message") instanceof Map<?, ?> message && (message.containsKey("content")
				|| message.containsKey("tool_calls"))) {
			String text = messageText(message);
			return text != null ? text : "";
		}
		return null;
	}

	/**
	 * The choice with {@code index} 0, read by index and not by position; the first choice when no
	 * choice has an index; {@code null} when only other choices are there.
	 */
	public static @Nullable Map<?, ?> firstChoice(List<?> choices) {
		Map<?, ?> unindexed = null;
		for (Object o : choices) {
			if (o instanceof Map<?, ?> c) {
				Object index = c.get("index");
				if (index instanceof Number n && n.doubleValue() == 0) {
					return c;
				}
				if (index == null && unindexed == null) {
					unindexed = c;
				}
			}
		}
		return unindexed;
	}

	/**
	 * The text of an assistant message: its content, its refusal, then one line per tool call,
	 * {@code name(arguments)} (see {@link ToolCalls}), joined with {@code \n}; {@code null} when it
	 * has none of them.
	 */
	public static @Nullable String messageText(Map<?, ?> message) {
		String content = textOrNull(message.get("content"));
		String refusal = message.get("refusal") instanceof String r ? r : null;
		String calls = ToolCalls.lines(message.get("tool_calls"), message.get("function_call"));
		if (content == null && refusal == null && calls == null) {
			return null;
		}
		StringBuilder sb = new StringBuilder();
		for (String part : new String[] {content, refusal, calls}) {
			if (part != null && !part.isEmpty()) {
				if (sb.length() > 0) {
					sb.append('\n');
				}
				sb.append(part);
			}
		}
		return sb.toString();
	}

	/** The text a streamed delta adds: its content and its refusal, {@code ""} when none. */
	private static String deltaText(Map<?, ?> delta) {
		return deltaText(delta.get("content"), delta.get("refusal"));
	}

	/** {@link #deltaText(Map)} of a delta's {@code content} and {@code refusal} (null when absent). */
	static String deltaText(@Nullable Object content, @Nullable Object refusal) {
		if (refusal instanceof String r && !r.isEmpty()) {
			return content instanceof String c ? c + r : r;
		}
		return textOrEmpty(content);
	}

	/**
	 * The tool calls, or fragments of them, that one streamed chunk carries for choice 0: OpenAI's
	 * {@code choices[i].delta.tool_calls}, Ollama's {@code message.tool_calls}; {@code null} when none.
	 */
	public static @Nullable List<?> chunkToolCalls(@Nullable Object plain) {
		if (!(plain instanceof Map<?, ?> map)) {
			return null;
		}
		Object calls = null;
		if (map.get("choices") instanceof List<?> choices && !choices.isEmpty()) {
			Map<?, ?> choice = firstChoice(choices);
			if (choice != null && choice.get("delta") instanceof Map<?, ?> delta) {
				calls = delta.get("tool_calls");
			}
		}
		else if (map.get("message") instanceof Map<?, ?> message) {
			calls = message.get("tool_calls");
		}
		return calls instanceof List<?> list && !list.isEmpty() ? list : null;
	}

	/**
	 * The system prompt: an Anthropic-style top-level {@code system} key, which wins as in the SDK;
	 * else the first message of a request when its role is {@code system}; every {@code system}
	 * message of a list, joined with {@code \n}. {@code null} when there is none.
	 */
	public static @Nullable String systemPrompt(@Nullable Object plain) {
		if (plain instanceof Map<?, ?> map) {
			Object system = map.get("system");
			if (system instanceof String s) {
				return s;
			}
			if (system instanceof List<?> parts) {
				return joinParts(parts);
			}
			if (map.get("messages") instanceof List<?> messages && !messages.isEmpty()
					&& messages.get(0) instanceof Map<?, ?> first && "system".equals(first.get("role"))) {
				return content(first);
			}
			return null;
		}
		if (plain instanceof List<?> list && isMessageList(list)) {
			List<String> systems = new ArrayList<>();
			for (Object m : list) {
				if ("system".equals(((Map<?, ?>) m).get("role"))) {
					systems.add(content(m));
				}
			}
			return systems.isEmpty() ? null : String.join("\n", systems);
		}
		return null;
	}

	/**
	 * The output's {@code model}, else the input's; an empty string is no model (Azure's annotation
	 * chunks). {@code null} when neither has one.
	 */
	public static @Nullable String model(@Nullable Object plainInput, @Nullable Object plainOutput) {
		String m = modelOf(plainOutput);
		return m != null ? m : modelOf(plainInput);
	}

	/** A value's own non-empty {@code model}, or {@code null}. */
	public static @Nullable String modelOf(@Nullable Object plain) {
		return plain instanceof Map<?, ?> map && map.get("model") instanceof String m && !m.isEmpty() ? m : null;
	}

	/**
	 * Whether a chunk is a provider's documented last message, which may come before the transport
	 * closes: an OpenAI usage chunk, whose {@code choices} is empty, or an Ollama {@code "done": true}.
	 * A chunk with usage and choices is not one: Perplexity and vLLM send usage on every chunk.
	 */
	public static boolean isFinalChunk(@Nullable Object plain) {
		if (!(plain instanceof Map<?, ?> map)) {
			return false;
		}
		if (Boolean.TRUE.equals(map.get("done"))) {
			return true;
		}
		return map.get("usage") instanceof Map<?, ?> && map.get("choices") instanceof List<?> choices
				&& choices.isEmpty();
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
		return message instanceof String s ? s : Json.text(message);
	}

	private static String textOrEmpty(@Nullable Object content) {
		String s = textOrNull(content);
		return s == null ? "" : s;
	}

	private static @Nullable String textOrNull(@Nullable Object content) {
		if (content == null) {
			return null;
		}
		if (content instanceof String s) {
			return s;
		}
		if (content instanceof List<?> parts) {
			return joinParts(parts);
		}
		return Json.text(content);
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
}

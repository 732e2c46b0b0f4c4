package ai.phospho.reactive.springai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.EmptyUsage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * Spring AI's prompts and responses in the OpenAI Chat Completions shapes that the core's
 * extraction reads: a request ({@code model}, {@code messages}, options), a completion (choices
 * with a {@code message}) and a chunk (choices with a {@code delta}). Tool calls keep their name and
 * arguments, refusals their text, usage its counts, so the core renders them as it renders OpenAI's.
 */
final class SpringAiShapes {

	private SpringAiShapes() {
	}

	/** The request: {@code model}, {@code messages}, then the options that are set. */
	static Map<String, Object> request(Prompt prompt) {
		Map<String, Object> out = new LinkedHashMap<>();
		ChatOptions options = prompt.getOptions();
		if (options != null && options.getModel() != null) {
			out.put("model", options.getModel());
		}
		out.put("messages", messages(prompt.getInstructions()));
		if (options != null) {
			putIfSet(out, "temperature", options.getTemperature());
			putIfSet(out, "max_tokens", options.getMaxTokens());
			putIfSet(out, "top_p", options.getTopP());
			putIfSet(out, "top_k", options.getTopK());
			putIfSet(out, "frequency_penalty", options.getFrequencyPenalty());
			putIfSet(out, "presence_penalty", options.getPresencePenalty());
			putIfSet(out, "stop", options.getStopSequences());
		}
		return out;
	}

	/** Messages as OpenAI's {@code {role, content}}; a tool response gives one {@code tool} message per result. */
	static List<Map<String, Object>> messages(List<Message> messages) {
		List<Map<String, Object>> out = new ArrayList<>(messages.size());
		for (Message m : messages) {
			if (m instanceof ToolResponseMessage tool) {
				for (ToolResponseMessage.ToolResponse r : tool.getResponses()) {
					Map<String, Object> map = new LinkedHashMap<>();
					map.put("role", "tool");
					map.put("tool_call_id", r.id());
					map.put("name", r.name());
					map.put("content", r.responseData());
					out.add(map);
				}
				continue;
			}
			Map<String, Object> map = new LinkedHashMap<>();
			map.put("role", m.getMessageType().getValue());
			map.put("content", m.getText());
			if (m instanceof AssistantMessage a && a.hasToolCalls()) {
				map.put("tool_calls", toolCalls(a.getToolCalls()));
			}
			out.add(map);
		}
		return out;
	}

	/**
	 * The request's messages: logged as the task's input, so that the core applies the Python
	 * SDK's rules for a message list (the last run of {@code user} messages; the system prompt).
	 */
	static Object messages(Map<String, Object> request) {
		Object messages = request.get("messages");
		return messages != null ? messages : "";
	}

	/** A whole answer: a {@code chat.completion}. */
	static Map<String, Object> completion(@Nullable ChatResponse response) {
		return shape(response, "message", "chat.completion");
	}

	/** One streamed answer: a {@code chat.completion.chunk}; it always has a choice, so it never ends a stream early. */
	static Map<String, Object> chunk(@Nullable ChatResponse response) {
		return shape(response, "delta", "chat.completion.chunk");
	}

	private static Map<String, Object> shape(@Nullable ChatResponse response, String messageKey, String object) {
		Map<String, Object> out = new LinkedHashMap<>();
		ChatResponseMetadata metadata = response == null ? null : response.getMetadata();
		if (metadata != null && metadata.getId() != null && !metadata.getId().isEmpty()) {
			out.put("id", metadata.getId());
		}
		out.put("object", object);
		if (metadata != null && metadata.getModel() != null && !metadata.getModel().isEmpty()) {
			out.put("model", metadata.getModel());
		}
		List<Map<String, Object>> choices = new ArrayList<>();
		List<Generation> generations = response == null ? List.of() : response.getResults();
		for (int i = 0; i < generations.size(); i++) {
			choices.add(choice(i, generations.get(i), messageKey));
		}
		if (choices.isEmpty()) {
			// A response with usage only, say: an empty choice, not an empty list, which would be
			// read as a provider's last message.
			Map<String, Object> empty = new LinkedHashMap<>();
			empty.put("index", 0);
			empty.put(messageKey, new LinkedHashMap<>(Map.of("role", "assistant", "content", "")));
			choices.add(empty);
		}
		out.put("choices", choices);
		Map<String, Object> usage = metadata == null ? null : usage(metadata.getUsage());
		if (usage != null) {
			out.put("usage", usage);
		}
		return out;
	}

	private static Map<String, Object> choice(int index, Generation generation, String messageKey) {
		AssistantMessage message = generation.getOutput();
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("role", "assistant");
		String text = message == null ? null : message.getText();
		m.put("content", text == null ? "" : text);
		if (message != null) {
			Object refusal = message.getMetadata().get("refusal");
			if (refusal instanceof String r && !r.isEmpty()) {
				m.put("refusal", r);
			}
			if (message.hasToolCalls()) {
				m.put("tool_calls", toolCalls(message.getToolCalls()));
			}
		}
		Map<String, Object> choice = new LinkedHashMap<>();
		choice.put("index", index);
		choice.put(messageKey, m);
		String finish = generation.getMetadata().getFinishReason();
		if (finish != null && !finish.isEmpty()) {
			choice.put("finish_reason", finish.toLowerCase(java.util.Locale.ROOT));
		}
		return choice;
	}

	/** Whole calls, without a stream {@code index}: each one is a call of its own. */
	private static List<Map<String, Object>> toolCalls(List<AssistantMessage.ToolCall> calls) {
		List<Map<String, Object>> out = new ArrayList<>(calls.size());
		for (AssistantMessage.ToolCall c : calls) {
			Map<String, Object> function = new LinkedHashMap<>();
			function.put("name", c.name());
			function.put("arguments", c.arguments());
			Map<String, Object> call = new LinkedHashMap<>();
			call.put("id", c.id());
			call.put("type", c.type() == null ? "function" : c.type());
			call.put("function", function);
			out.add(call);
		}
		return out;
	}

	/** The counts the provider gave; {@code null} for none (Spring AI's {@link EmptyUsage} on chunks without usage). */
	static @Nullable Map<String, Object> usage(@Nullable Usage usage) {
		if (usage == null || usage instanceof EmptyUsage) {
			return null;
		}
		Integer prompt = usage.getPromptTokens();
		Integer completion = usage.getCompletionTokens();
		Integer total = usage.getTotalTokens();
		if (isZero(prompt) && isZero(completion) && isZero(total)) {
			return null;
		}
		Map<String, Object> out = new LinkedHashMap<>();
		putIfSet(out, "prompt_tokens", prompt);
		putIfSet(out, "completion_tokens", completion);
		putIfSet(out, "total_tokens", total);
		return out;
	}

	/** The text one streamed response adds, or {@code null} when it carries more than text (tool calls, usage). */
	static @Nullable String plainChunkText(@Nullable ChatResponse response) {
		if (response == null) {
			return "";
		}
		if (usage(response.getMetadata().getUsage()) != null) {
			return null;
		}
		List<Generation> results = response.getResults();
		if (results.isEmpty()) {
			return "";
		}
		AssistantMessage message = results.get(0).getOutput();
		if (message == null) {
			return "";
		}
		if (message.hasToolCalls() || message.getMetadata().get("refusal") instanceof String r && !r.isEmpty()) {
			return null;
		}
		String text = message.getText();
		return text == null ? "" : text;
	}

	private static boolean isZero(@Nullable Integer n) {
		return n == null || n == 0;
	}

	private static void putIfSet(Map<String, Object> map, String key, @Nullable Object value) {
		if (value != null) {
			map.put(key, value);
		}
	}
}

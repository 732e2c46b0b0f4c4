package ai.phospho.reactive.langchain4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.CustomMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import org.jspecify.annotations.Nullable;

/**
 * LangChain4j's requests and responses in the OpenAI Chat Completions shapes that the core's
 * extraction reads, so that text, system prompt, tool calls, model and usage are rendered as the
 * core renders OpenAI's.
 */
final class LangChain4jShapes {

	private LangChain4jShapes() {
	}

	/** The request: {@code model}, {@code messages}, then the parameters that are set and the tools' names. */
	static Map<String, Object> request(ChatRequest request) {
		Map<String, Object> out = new LinkedHashMap<>();
		ChatRequestParameters p = request.parameters();
		if (p != null && p.modelName() != null) {
			out.put("model", p.modelName());
		}
		out.put("messages", messages(request.messages()));
		if (p != null) {
			putIfSet(out, "temperature", p.temperature());
			putIfSet(out, "max_tokens", p.maxOutputTokens());
			putIfSet(out, "top_p", p.topP());
			putIfSet(out, "top_k", p.topK());
			putIfSet(out, "frequency_penalty", p.frequencyPenalty());
			putIfSet(out, "presence_penalty", p.presencePenalty());
			if (p.stopSequences() != null && !p.stopSequences().isEmpty()) {
				out.put("stop", p.stopSequences());
			}
			List<ToolSpecification> tools = p.toolSpecifications();
			if (tools != null && !tools.isEmpty()) {
				List<String> names = new ArrayList<>();
				tools.forEach(t -> names.add(t.name()));
				out.put("tools", names);
			}
		}
		return out;
	}

	static List<Map<String, Object>> messages(List<ChatMessage> messages) {
		List<Map<String, Object>> out = new ArrayList<>(messages.size());
		for (ChatMessage m : messages) {
			Map<String, Object> map = new LinkedHashMap<>();
			if (m instanceof SystemMessage s) {
				map.put("role", "system");
				map.put("content", s.text());
			}
			else if (m instanceof UserMessage u) {
				map.put("role", "user");
				map.put("content", text(u.contents()));
				if (u.name() != null) {
					map.put("name", u.name());
				}
			}
			else if (m instanceof AiMessage a) {
				map.put("role", "assistant");
				map.put("content", a.text());
				if (a.hasToolExecutionRequests()) {
					map.put("tool_calls", toolCalls(a.toolExecutionRequests()));
				}
			}
			else if (m instanceof ToolExecutionResultMessage t) {
				map.put("role", "tool");
				map.put("tool_call_id", t.id());
				map.put("name", t.toolName());
				map.put("content", t.text());
			}
			else if (m instanceof CustomMessage c) {
				map.put("role", "custom");
				map.put("content", c.attributes());
			}
			else {
				map.put("role", String.valueOf(m.type()).toLowerCase(java.util.Locale.ROOT));
				map.put("content", String.valueOf(m));
			}
			out.add(map);
		}
		return out;
	}

	private static String text(List<Content> contents) {
		StringBuilder sb = new StringBuilder();
		for (Content c : contents) {
			if (c instanceof TextContent t) {
				if (sb.length() > 0) {
					sb.append('\n');
				}
				sb.append(t.text());
			}
		}
		return sb.toString();
	}

	/**
	 * The request's messages: logged as the task's input, so that the core applies the Python
	 * SDK's rules for a message list (the last run of {@code user} messages; the system prompt).
	 */
	static Object messages(Map<String, Object> request) {
		Object messages = request.get("messages");
		return messages != null ? messages : "";
	}

	/** A whole answer, as a {@code chat.completion}. */
	static Map<String, Object> completion(ChatResponse response) {
		return shape(response, "message", true);
	}

	/**
	 * The end of a stream, as a {@code chat.completion.chunk}: model, usage and tool calls, without
	 * the text, which came in the partial responses before it.
	 */
	static Map<String, Object> lastChunk(ChatResponse response) {
		return shape(response, "delta", false);
	}

	private static Map<String, Object> shape(ChatResponse response, String messageKey, boolean withText) {
		Map<String, Object> out = new LinkedHashMap<>();
		if (response.id() != null) {
			out.put("id", response.id());
		}
		if (response.modelName() != null && !response.modelName().isEmpty()) {
			out.put("model", response.modelName());
		}
		AiMessage ai = response.aiMessage();
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("role", "assistant");
		message.put("content", withText && ai != null && ai.text() != null ? ai.text() : "");
		if (ai != null && ai.hasToolExecutionRequests()) {
			message.put("tool_calls", toolCalls(ai.toolExecutionRequests()));
		}
		Map<String, Object> choice = new LinkedHashMap<>();
		choice.put("index", 0);
		choice.put(messageKey, message);
		if (response.finishReason() != null) {
			choice.put("finish_reason", response.finishReason().name().toLowerCase(java.util.Locale.ROOT));
		}
		out.put("choices", List.of(choice));
		Map<String, Object> usage = usage(response.tokenUsage());
		if (usage != null) {
			out.put("usage", usage);
		}
		return out;
	}

	/** Whole calls, without a stream {@code index}: each one is a call of its own. */
	private static List<Map<String, Object>> toolCalls(List<ToolExecutionRequest> calls) {
		List<Map<String, Object>> out = new ArrayList<>(calls.size());
		for (ToolExecutionRequest c : calls) {
			Map<String, Object> function = new LinkedHashMap<>();
			function.put("name", c.name());
			function.put("arguments", c.arguments());
			Map<String, Object> call = new LinkedHashMap<>();
			if (c.id() != null) {
				call.put("id", c.id());
			}
			call.put("type", "function");
			call.put("function", function);
			out.add(call);
		}
		return out;
	}

	static @Nullable Map<String, Object> usage(@Nullable TokenUsage usage) {
		if (usage == null) {
			return null;
		}
		Map<String, Object> out = new LinkedHashMap<>();
		putIfSet(out, "prompt_tokens", usage.inputTokenCount());
		putIfSet(out, "completion_tokens", usage.outputTokenCount());
		putIfSet(out, "total_tokens", usage.totalTokenCount());
		return out.isEmpty() ? null : out;
	}

	private static void putIfSet(Map<String, Object> map, String key, @Nullable Object value) {
		if (value != null) {
			map.put(key, value);
		}
	}
}

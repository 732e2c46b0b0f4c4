package ai.phospho.reactive.langchain4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.phospho.reactive.PhosphoExtractor;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import org.jspecify.annotations.Nullable;

/**
 * Teaches the core's extraction LangChain4j's types, found by {@link java.util.ServiceLoader}: each
 * {@link ChatStreamEvent} reads as an OpenAI {@code chat.completion.chunk} (a partial answer adds
 * its text; the {@link ChatStreamEvent.Complete} adds the model, usage and tool calls, not the text
 * again), a {@link ChatResponse} as a {@code chat.completion}, a {@link ChatRequest} as a chat
 * request. Not for direct use.
 */
public final class LangChain4jExtractor implements PhosphoExtractor {

	/** For {@link java.util.ServiceLoader}. */
	public LangChain4jExtractor() {
	}

	@Override
	public @Nullable Object toPlain(Object value) {
		if (value instanceof ChatStreamEvent event) {
			if (event instanceof ChatStreamEvent.Complete c) {
				return LangChain4jShapes.lastChunk(c.response());
			}
			if (event instanceof ChatStreamEvent.Partial p) {
				return delta("content", p.text());
			}
			if (event instanceof ChatStreamEvent.Thinking t) {
				return delta("reasoning_content", t.thinking().text());
			}
			if (event instanceof ChatStreamEvent.ToolCallFragment f) {
				return event("partial_tool_call", f.fragment().name(), f.fragment().partialArguments());
			}
			if (event instanceof ChatStreamEvent.ToolCall c) {
				return event("complete_tool_call", c.call().toolExecutionRequest().name(),
						c.call().toolExecutionRequest().arguments());
			}
			return Map.of("event", "raw", "value", String.valueOf(((ChatStreamEvent.Raw) event).event()));
		}
		if (value instanceof ChatResponse r) {
			return LangChain4jShapes.completion(r);
		}
		if (value instanceof ChatRequest r) {
			return LangChain4jShapes.request(r);
		}
		return null;
	}

	@Override
	public @Nullable String chunkText(Object chunk) {
		if (chunk instanceof ChatStreamEvent event) {
			// The last event is converted: its model, usage and tool calls are read from it.
			return event instanceof ChatStreamEvent.Complete ? null : event.text();
		}
		return null;
	}

	/** A stream of events ends with the model's own completion: no event is a last message to stop at. */
	@Override
	public @Nullable Boolean isFinalChunk(Object chunk) {
		return chunk instanceof ChatStreamEvent ? Boolean.FALSE : null;
	}

	/** The stream events only: the chunks of other streams cost nothing here. */
	@Override
	public boolean readsChunksOf(Class<?> type) {
		return ChatStreamEvent.class.isAssignableFrom(type);
	}

	/** No event ends its stream ({@link #isFinalChunk}). */
	@Override
	public boolean textChunksMayEnd(Class<?> type) {
		return !readsChunksOf(type);
	}

	private static Map<String, Object> delta(String key, @Nullable String text) {
		Map<String, Object> delta = new LinkedHashMap<>();
		delta.put(key, text == null ? "" : text);
		Map<String, Object> choice = new LinkedHashMap<>();
		choice.put("index", 0);
		choice.put("delta", delta);
		return Map.of("object", "chat.completion.chunk", "choices", List.of(choice));
	}

	private static Map<String, Object> event(String type, @Nullable String name, @Nullable String arguments) {
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("event", type);
		out.put("name", name == null ? "" : name);
		out.put("arguments", arguments == null ? "" : arguments);
		return out;
	}
}

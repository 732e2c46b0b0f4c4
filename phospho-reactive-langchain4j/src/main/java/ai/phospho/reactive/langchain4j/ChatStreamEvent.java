package ai.phospho.reactive.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialToolCall;

/**
 * One callback of a LangChain4j {@code StreamingChatResponseHandler} as an element of a
 * {@code Flux} ({@link LangChain4jFlux}): the stream's partial answers, thinking, tool-call fragments
 * and raw events, then one {@link Complete} before the stream completes.
 */
public sealed interface ChatStreamEvent {

	/** The answer text this event adds: a {@link Partial}'s text, {@code ""} for the others. */
	default String text() {
		return "";
	}

	/** A piece of the answer ({@code onPartialResponse}). */
	record Partial(PartialResponse response) implements ChatStreamEvent {

		@Override
		public String text() {
			return response.text();
		}
	}

	/** A piece of the model's thinking ({@code onPartialThinking}). */
	record Thinking(PartialThinking thinking) implements ChatStreamEvent {
	}

	/** A fragment of a tool call ({@code onPartialToolCall}). */
	record ToolCallFragment(PartialToolCall fragment) implements ChatStreamEvent {
	}

	/** A whole tool call ({@code onCompleteToolCall}). */
	record ToolCall(CompleteToolCall call) implements ChatStreamEvent {
	}

	/** A provider's event LangChain4j does not map ({@code onUnmappedRawEvent}). */
	record Raw(Object event) implements ChatStreamEvent {
	}

	/** The whole answer, with its tool calls, model and token usage ({@code onCompleteResponse}). */
	record Complete(ChatResponse response) implements ChatStreamEvent {
	}
}

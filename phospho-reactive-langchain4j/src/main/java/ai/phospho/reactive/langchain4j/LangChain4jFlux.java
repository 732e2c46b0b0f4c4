package ai.phospho.reactive.langchain4j;

import java.util.Map;
import java.util.Objects;

import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.StreamLog;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * A LangChain4j stream as a {@code Flux}, as LangChain4j's Reactor integration makes one, and logged
 * with {@link PhosphoClient#logStream(StreamLog)}.
 *
 * <pre>{@code
 * Flux<String> answer = LangChain4jFlux.logged(phosphoClient, streamingModel, request)
 *     .map(ChatStreamEvent::text);
 * }</pre>
 *
 * <p>Each subscription makes one call. The handler's callbacks become {@link ChatStreamEvent}s, then
 * the stream completes after {@link ChatStreamEvent.Complete} or fails with the model's error. A
 * cancel cancels the model's stream ({@link StreamingHandle#cancel()}) when the model supports it;
 * events after it are dropped. LangChain4j pushes without demand: events wait in a buffer.
 */
public final class LangChain4jFlux {

	private LangChain4jFlux() {
	}

	/** The events of one call of {@code model} per subscription, not logged. */
	public static Flux<ChatStreamEvent> from(StreamingChatModel model, ChatRequest request) {
		return from(model, request, ChatRequestOptions.EMPTY);
	}

	/** As {@link #from(StreamingChatModel, ChatRequest)}, with these options (listener attributes). */
	public static Flux<ChatStreamEvent> from(StreamingChatModel model, ChatRequest request, ChatRequestOptions options) {
		Objects.requireNonNull(model, "model");
		Objects.requireNonNull(request, "request");
		Objects.requireNonNull(options, "options");
		return Flux.create(sink -> {
			Bridge bridge = new Bridge(sink);
			sink.onCancel(bridge::cancel);
			try {
				model.chat(request, options, bridge);
			}
			catch (RuntimeException e) {
				sink.error(e);
			}
		});
	}

	/** {@link #from(StreamingChatModel, ChatRequest)}, each subscription logged as one task to {@code client}. */
	public static Flux<ChatStreamEvent> logged(PhosphoClient client, StreamingChatModel model, ChatRequest request) {
		return from(model, request).transform(client.logStream(streamLog(model, request)));
	}

	/**
	 * What {@link #logged} logs: input, system prompt and raw input from the request completed with
	 * {@code model}'s default parameters (its model name, say), as the model sends it.
	 */
	public static StreamLog<ChatStreamEvent> streamLog(StreamingChatModel model, ChatRequest request) {
		ChatRequest sent = ChatRequest.builder()
			.messages(request.messages())
			.parameters(model.defaultRequestParameters().overrideWith(request.parameters()))
			.build();
		Map<String, Object> raw = LangChain4jShapes.request(sent);
		return StreamLog.<ChatStreamEvent>of(LangChain4jShapes.messages(raw)).rawInput(raw);
	}

	/** The handler that feeds the sink; it cancels the model's stream once the Flux is cancelled. */
	private static final class Bridge implements StreamingChatResponseHandler {

		private final FluxSink<ChatStreamEvent> sink;
		private volatile @Nullable StreamingHandle handle;
		private volatile boolean cancelled;

		Bridge(FluxSink<ChatStreamEvent> sink) {
			this.sink = sink;
		}

		void cancel() {
			cancelled = true;
			StreamingHandle h = handle;
			if (h != null) {
				h.cancel();
			}
		}

		private void handle(StreamingHandle h) {
			if (handle == null) {
				handle = h;
				if (cancelled) {
					h.cancel();
				}
			}
		}

		@Override
		public void onPartialResponse(String partialResponse) {
			sink.next(new ChatStreamEvent.Partial(new PartialResponse(partialResponse)));
		}

		@Override
		public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
			handle(context.streamingHandle());
			sink.next(new ChatStreamEvent.Partial(partialResponse));
		}

		@Override
		public void onPartialThinking(PartialThinking partialThinking) {
			sink.next(new ChatStreamEvent.Thinking(partialThinking));
		}

		@Override
		public void onPartialThinking(PartialThinking partialThinking, PartialThinkingContext context) {
			handle(context.streamingHandle());
			sink.next(new ChatStreamEvent.Thinking(partialThinking));
		}

		@Override
		public void onPartialToolCall(PartialToolCall partialToolCall) {
			sink.next(new ChatStreamEvent.ToolCallFragment(partialToolCall));
		}

		@Override
		public void onPartialToolCall(PartialToolCall partialToolCall, PartialToolCallContext context) {
			handle(context.streamingHandle());
			sink.next(new ChatStreamEvent.ToolCallFragment(partialToolCall));
		}

		@Override
		public void onCompleteToolCall(CompleteToolCall completeToolCall) {
			sink.next(new ChatStreamEvent.ToolCall(completeToolCall));
		}

		@Override
		public void onUnmappedRawEvent(Object rawEvent) {
			sink.next(new ChatStreamEvent.Raw(rawEvent));
		}

		@Override
		public void onCompleteResponse(ChatResponse completeResponse) {
			sink.next(new ChatStreamEvent.Complete(completeResponse));
			sink.complete();
		}

		@Override
		public void onError(Throwable error) {
			sink.error(error);
		}
	}
}

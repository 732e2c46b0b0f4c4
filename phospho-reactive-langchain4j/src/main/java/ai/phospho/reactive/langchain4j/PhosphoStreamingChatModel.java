package ai.phospho.reactive.langchain4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.StreamLog;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * A {@link StreamingChatModel} that logs each streamed call of another one as one phospho task, with
 * the partial text and the right {@code stream_status}: {@code completed}, {@code error} (the model
 * failed) or {@code cancelled} (the caller's handler called {@link StreamingHandle#cancel()}).
 *
 * <pre>{@code
 * StreamingChatModel model = PhosphoStreamingChatModel.wrap(
 *     OpenAiStreamingChatModel.builder().apiKey(key).modelName("gpt-4o-mini").build(), phosphoClient);
 * }</pre>
 *
 * <p>The handler receives the same callbacks as from the wrapped model, on the same threads; a
 * handler that throws is logged and the stream goes on, as LangChain4j does. The task is that of
 * {@link LangChain4jFlux#logged}; {@code session_id} comes from the {@link PhosphoChatModelListener#SESSION_ID}
 * listener attribute of the call's options, else the AI service's memory id (with
 * {@link PhosphoChatModelListener} registered on the {@code AiServices} builder), {@code user_id}
 * from {@link PhosphoChatModelListener#USER_ID}. A {@link PhosphoChatModelListener} on the wrapped
 * model skips these calls: each is logged once.
 */
public final class PhosphoStreamingChatModel implements StreamingChatModel {

	private static final Logger LOG = Loggers.getLogger(PhosphoStreamingChatModel.class);

	private final StreamingChatModel delegate;
	private final PhosphoClient client;

	private PhosphoStreamingChatModel(StreamingChatModel delegate, PhosphoClient client) {
		this.delegate = delegate;
		this.client = client;
	}

	/** {@code delegate}, its streams logged to {@code client}. */
	public static PhosphoStreamingChatModel wrap(StreamingChatModel delegate, PhosphoClient client) {
		return new PhosphoStreamingChatModel(Objects.requireNonNull(delegate, "delegate"),
				Objects.requireNonNull(client, "client"));
	}

	@Override
	public void chat(ChatRequest request, ChatRequestOptions options, StreamingChatResponseHandler handler) {
		Objects.requireNonNull(handler, "handler");
		ChatRequestOptions given = options == null ? ChatRequestOptions.EMPTY : options;
		Map<Object, Object> attributes = new LinkedHashMap<>(given.listenerAttributes());
		String memoryId = MemoryIds.take(request.messages());
		attributes.put(PhosphoChatModelListener.LOGGED_AS_STREAM, Boolean.TRUE);
		ChatRequestOptions marked = ChatRequestOptions.builder().listenerAttributes(attributes).build();
		Forwarder forwarder = new Forwarder(handler);
		LangChain4jFlux.from(delegate, request, marked)
			.transform(client.logStream(spec(request, attributes, memoryId)))
			.subscribe(forwarder);
	}

	private StreamLog<ChatStreamEvent> spec(ChatRequest request, Map<Object, Object> attributes,
			@Nullable String memoryId) {
		StreamLog<ChatStreamEvent> spec = LangChain4jFlux.streamLog(delegate, request);
		String session = Attributes.string(attributes, PhosphoChatModelListener.SESSION_ID);
		spec.sessionId(session != null ? session : memoryId)
			.userId(Attributes.string(attributes, PhosphoChatModelListener.USER_ID));
		Map<String, Object> metadata = Attributes.metadata(attributes);
		if (!metadata.isEmpty()) {
			spec.metadata(metadata);
		}
		return spec;
	}

	@Override
	public ChatRequestParameters defaultRequestParameters() {
		return delegate.defaultRequestParameters();
	}

	@Override
	public List<ChatModelListener> listeners() {
		return delegate.listeners();
	}

	@Override
	public ModelProvider provider() {
		return delegate.provider();
	}

	@Override
	public Set<Capability> supportedCapabilities() {
		return delegate.supportedCapabilities();
	}

	@Override
	public String toString() {
		return "PhosphoStreamingChatModel{" + delegate.getClass().getSimpleName() + '}';
	}

	/** Gives each event to the caller's handler; the handle it passes cancels the subscription. */
	private static final class Forwarder extends BaseSubscriber<ChatStreamEvent> {

		private final StreamingChatResponseHandler handler;
		private ChatStreamEvent.@Nullable Complete complete;
		private final StreamingHandle handle = new StreamingHandle() {

			@Override
			public void cancel() {
				dispose();
			}

			@Override
			public boolean isCancelled() {
				return isDisposed();
			}
		};

		Forwarder(StreamingChatResponseHandler handler) {
			this.handler = handler;
		}

		@Override
		protected void hookOnSubscribe(Subscription subscription) {
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		protected void hookOnNext(ChatStreamEvent event) {
			try {
				if (event instanceof ChatStreamEvent.Partial p) {
					handler.onPartialResponse(p.response(), new PartialResponseContext(handle));
				}
				else if (event instanceof ChatStreamEvent.Thinking t) {
					handler.onPartialThinking(t.thinking(), new PartialThinkingContext(handle));
				}
				else if (event instanceof ChatStreamEvent.ToolCallFragment f) {
					handler.onPartialToolCall(f.fragment(), new PartialToolCallContext(handle));
				}
				else if (event instanceof ChatStreamEvent.ToolCall c) {
					handler.onCompleteToolCall(c.call());
				}
				else if (event instanceof ChatStreamEvent.Raw r) {
					handler.onUnmappedRawEvent(r.event());
				}
				else if (event instanceof ChatStreamEvent.Complete c) {
					// Given to the handler once the stream completes: its task is logged by then.
					complete = c;
				}
			}
			catch (RuntimeException e) {
				LOG.warn("The streaming handler threw; the stream goes on", e);
			}
		}

		@Override
		protected void hookOnComplete() {
			ChatStreamEvent.Complete c = complete;
			if (c != null) {
				try {
					handler.onCompleteResponse(c.response());
				}
				catch (RuntimeException e) {
					LOG.warn("The streaming handler's onCompleteResponse threw", e);
				}
			}
		}

		@Override
		protected void hookOnError(Throwable error) {
			try {
				handler.onError(error);
			}
			catch (RuntimeException e) {
				LOG.warn("The streaming handler's onError threw", e);
			}
		}

	}
}

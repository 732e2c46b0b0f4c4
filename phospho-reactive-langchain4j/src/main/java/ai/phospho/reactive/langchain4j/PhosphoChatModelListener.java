package ai.phospho.reactive.langchain4j;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import ai.phospho.reactive.Phospho;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.TaskLog;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.observability.api.event.AiServiceRequestIssuedEvent;
import dev.langchain4j.observability.api.listener.AiServiceListener;
import org.jspecify.annotations.Nullable;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * A LangChain4j {@link ChatModelListener} that logs each {@code ChatModel} call as one phospho task.
 *
 * <pre>{@code
 * PhosphoChatModelListener phospho = PhosphoChatModelListener.create(phosphoClient);
 * ChatModel model = OpenAiChatModel.builder().apiKey(key).modelName("gpt-4o-mini").listeners(List.of(phospho)).build();
 * Assistant assistant = AiServices.builder(Assistant.class).chatModel(model).registerListener(phospho).build();
 * }</pre>
 *
 * <p>A task holds the last run of user messages as input, the first system message as system prompt,
 * the messages and parameters as raw input (OpenAI's request shape), the answer's text then one
 * line per tool call {@code name(arguments)} as output, the model and token usage, and
 * {@code stream_status} ({@code completed} or {@code error}, with the {@code error}) and
 * {@code latency_ms} in the metadata. {@code session_id} comes from the {@link #SESSION_ID} listener
 * attribute, else from the AI service's memory id (when this listener is also registered on the
 * {@code AiServices} builder, as above), else is new; {@code user_id} from {@link #USER_ID}; the
 * entries of {@link #METADATA} go to the metadata. Logging never throws at the caller.
 *
 * <p>A listener sees no partial answer and no cancel: for a {@code StreamingChatModel}, use
 * {@link PhosphoStreamingChatModel}, whose calls this listener skips.
 */
public final class PhosphoChatModelListener implements ChatModelListener, AiServiceListener<AiServiceRequestIssuedEvent> {

	/** Listener attribute: the task's {@code session_id}. */
	public static final String SESSION_ID = "phospho_session_id";
	/** Listener attribute: the task's {@code user_id}. */
	public static final String USER_ID = "phospho_user_id";
	/** Listener attribute: a {@code Map<String, ?>} added to the task's metadata. */
	public static final String METADATA = "phospho_metadata";
	/** Listener attribute set by {@link PhosphoStreamingChatModel}: the stream logs the task itself. */
	static final String LOGGED_AS_STREAM = "phospho_logged_as_stream";

	private static final Logger LOG = Loggers.getLogger(PhosphoChatModelListener.class);
	private static final String START = "phospho_start_nanos";
	private static final String MEMORY_ID = "phospho_memory_id";

	private final Supplier<PhosphoClient> client;

	private PhosphoChatModelListener(Supplier<PhosphoClient> client) {
		this.client = client;
	}

	/** Logs to {@code client}. */
	public static PhosphoChatModelListener create(PhosphoClient client) {
		Objects.requireNonNull(client, "client");
		return new PhosphoChatModelListener(() -> client);
	}

	/** Logs to the static API's client ({@link Phospho#client()}) of the moment of each call. */
	public static PhosphoChatModelListener create() {
		return new PhosphoChatModelListener(Phospho::client);
	}

	@Override
	public void onRequest(ChatModelRequestContext context) {
		try {
			Map<Object, Object> attributes = context.attributes();
			attributes.put(START, System.nanoTime());
			String memoryId = MemoryIds.take(context.chatRequest().messages());
			if (memoryId != null) {
				attributes.put(MEMORY_ID, memoryId);
			}
		}
		catch (RuntimeException e) {
			LOG.warn("phospho: a LangChain4j request could not be read: {}", String.valueOf(e));
		}
	}

	@Override
	public void onResponse(ChatModelResponseContext context) {
		log(context.chatRequest(), context.chatResponse(), null, context.attributes());
	}

	@Override
	public void onError(ChatModelErrorContext context) {
		log(context.chatRequest(), null, context.error(), context.attributes());
	}

	private void log(ChatRequest request, @Nullable ChatResponse response, @Nullable Throwable error,
			Map<Object, Object> attributes) {
		if (attributes.containsKey(LOGGED_AS_STREAM)) {
			return;
		}
		try {
			Map<String, Object> raw = LangChain4jShapes.request(request);
			TaskLog<Object, Object> task = TaskLog.of(LangChain4jShapes.messages(raw)).rawInput(raw)
				.output(response == null ? null : LangChain4jShapes.completion(response));
			Map<String, Object> metadata = new LinkedHashMap<>(Attributes.metadata(attributes));
			metadata.put("stream_status", error == null ? "completed" : "error");
			if (error != null) {
				metadata.put("error", String.valueOf(error));
			}
			if (attributes.get(START) instanceof Long start) {
				metadata.put("latency_ms", (System.nanoTime() - start) / 1_000_000);
			}
			String session = Attributes.string(attributes, SESSION_ID);
			task.metadata(metadata)
				.sessionId(session != null ? session : Attributes.string(attributes, MEMORY_ID))
				.userId(Attributes.string(attributes, USER_ID));
			client.get().log(task);
		}
		catch (RuntimeException | LinkageError e) {
			LOG.warn("phospho: a LangChain4j call could not be logged: {}", String.valueOf(e));
		}
	}

	/** Keeps an AI service's memory id for the model call that follows. */
	@Override
	public void onEvent(AiServiceRequestIssuedEvent event) {
		try {
			MemoryIds.offer(event.request().messages(), event.invocationContext().chatMemoryId());
		}
		catch (RuntimeException e) {
			LOG.warn("phospho: a LangChain4j AI service event could not be read: {}", String.valueOf(e));
		}
	}

	@Override
	public Class<AiServiceRequestIssuedEvent> getEventClass() {
		return AiServiceRequestIssuedEvent.class;
	}

	@Override
	public String toString() {
		return "PhosphoChatModelListener";
	}
}

package ai.phospho.reactive.springai;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import ai.phospho.reactive.Phospho;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.StreamLog;
import ai.phospho.reactive.TaskLog;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisor;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.core.Ordered;
import reactor.core.publisher.Flux;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * A Spring AI advisor that logs each model call of a {@code ChatClient} as one phospho task, streams
 * included.
 *
 * <pre>{@code
 * ChatClient chat = ChatClient.builder(chatModel)
 *     .defaultAdvisors(PhosphoAdvisor.create(phosphoClient))
 *     .build();
 * chat.prompt().user("What is the speed of light?")
 *     .advisors(a -> a.param(ChatMemory.CONVERSATION_ID, "c-1").param(PhosphoAdvisor.USER_ID, "u-7"))
 *     .call().content();
 * }</pre>
 *
 * <p>Its order, {@link #DEFAULT_ORDER}, places it after the chat memory and tool-calling advisors:
 * it sees the prompt as the model receives it (history included) and each answer of the model, so a
 * tool-calling round is one task per model call. A task holds:
 * <ul>
 * <li>input: the last run of consecutive user messages; system prompt: the first message when it is
 * a system message; raw input: the messages (tool calls and results included) and the options
 * ({@code model}, {@code temperature}, ...), in OpenAI's request shape;</li>
 * <li>output: the answer's text, its refusal, then one line per tool call {@code name(arguments)};
 * model and token usage from the response metadata;</li>
 * <li>{@code session_id}: the conversation id of the advisor context ({@link ChatMemory#CONVERSATION_ID}),
 * else the {@link #SESSION_ID} parameter, else (streams) the Reactor Context's
 * {@link ai.phospho.reactive.PhosphoContext}; {@code user_id} from {@link #USER_ID}, else the
 * Context; the entries of {@link #METADATA} added to the metadata.</li>
 * </ul>
 * A stream is logged by {@link PhosphoClient#logStream(StreamLog)}: one task per subscription with
 * {@code stream_status} {@code completed}, {@code cancelled} or {@code error}, the partial text,
 * the last usage seen, {@code time_to_first_chunk_ms}. A call gets {@code stream_status}
 * {@code completed} or {@code error} and {@code latency_ms}. Logging never throws at the caller and
 * never changes the call's result or the stream.
 */
public final class PhosphoAdvisor implements CallAdvisor, StreamAdvisor {

	/** After the memory ({@code HIGHEST_PRECEDENCE + 200}) and tool-calling ({@code + 300}) advisors, before the model. */
	public static final int DEFAULT_ORDER = Ordered.LOWEST_PRECEDENCE - 1000;
	/** Advisor parameter: the task's {@code session_id} when the request has no conversation id. */
	public static final String SESSION_ID = "phospho_session_id";
	/** Advisor parameter: the task's {@code user_id}. */
	public static final String USER_ID = "phospho_user_id";
	/** Advisor parameter: a {@code Map<String, ?>} added to the task's metadata. */
	public static final String METADATA = "phospho_metadata";

	private static final Logger LOG = Loggers.getLogger(PhosphoAdvisor.class);

	private final Supplier<PhosphoClient> client;
	private final int order;

	private PhosphoAdvisor(Supplier<PhosphoClient> client, int order) {
		this.client = client;
		this.order = order;
	}

	/** Logs to {@code client}, at {@link #DEFAULT_ORDER}. */
	public static PhosphoAdvisor create(PhosphoClient client) {
		Objects.requireNonNull(client, "client");
		return new PhosphoAdvisor(() -> client, DEFAULT_ORDER);
	}

	/** Logs to the static API's client ({@link Phospho#client()}) of the moment of each call. */
	public static PhosphoAdvisor create() {
		return new PhosphoAdvisor(Phospho::client, DEFAULT_ORDER);
	}

	/** This advisor at another place in the chain. */
	public PhosphoAdvisor withOrder(int order) {
		return new PhosphoAdvisor(client, order);
	}

	@Override
	public String getName() {
		return "PhosphoAdvisor";
	}

	@Override
	public int getOrder() {
		return order;
	}

	@Override
	public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
		long start = System.nanoTime();
		ChatClientResponse response;
		try {
			response = chain.nextCall(request);
		}
		catch (RuntimeException | Error e) {
			logCall(request, null, e, start);
			throw e;
		}
		logCall(request, response, null, start);
		return response;
	}

	private void logCall(ChatClientRequest request, @Nullable ChatClientResponse response, @Nullable Throwable error,
			long start) {
		try {
			Map<String, Object> input = SpringAiShapes.request(request.prompt());
			TaskLog<Object, Object> task = TaskLog.of(SpringAiShapes.messages(input)).rawInput(input)
				.output(response == null ? null : SpringAiShapes.completion(response.chatResponse()));
			Map<String, Object> metadata = new LinkedHashMap<>(userMetadata(request));
			metadata.put("stream_status", error == null ? "completed" : "error");
			if (error != null) {
				metadata.put("error", String.valueOf(error));
			}
			metadata.put("latency_ms", (System.nanoTime() - start) / 1_000_000);
			task.metadata(metadata).sessionId(sessionId(request)).userId(string(request.context().get(USER_ID)));
			client.get().log(task);
		}
		catch (Throwable e) {
			rethrowIfFatal(e);
			LOG.warn("phospho: a Spring AI call could not be logged: {}", String.valueOf(e));
		}
	}

	@Override
	public Flux<ChatClientResponse> adviseStream(ChatClientRequest request, StreamAdvisorChain chain) {
		Flux<ChatClientResponse> stream = chain.nextStream(request);
		try {
			Map<String, Object> input = SpringAiShapes.request(request.prompt());
			StreamLog<ChatClientResponse> spec = StreamLog.<ChatClientResponse>of(SpringAiShapes.messages(input))
				.rawInput(input)
				.sessionId(sessionId(request))
				.userId(string(request.context().get(USER_ID)));
			Map<String, Object> metadata = userMetadata(request);
			if (!metadata.isEmpty()) {
				spec.metadata(metadata);
			}
			return stream.transform(client.get().logStream(spec));
		}
		catch (Throwable e) {
			rethrowIfFatal(e);
			LOG.warn("phospho: a Spring AI stream is not logged: {}", String.valueOf(e));
			return stream;
		}
	}

	private static @Nullable String sessionId(ChatClientRequest request) {
		String conversation = string(request.context().get(ChatMemory.CONVERSATION_ID));
		return conversation != null ? conversation : string(request.context().get(SESSION_ID));
	}

	private static Map<String, Object> userMetadata(ChatClientRequest request) {
		Map<String, Object> out = new LinkedHashMap<>();
		if (request.context().get(METADATA) instanceof Map<?, ?> m) {
			m.forEach((k, v) -> {
				if (k != null) {
					out.put(String.valueOf(k), v);
				}
			});
		}
		return out;
	}

	private static @Nullable String string(@Nullable Object value) {
		return value == null ? null : String.valueOf(value);
	}

	private static void rethrowIfFatal(Throwable e) {
		if (e instanceof VirtualMachineError vm) {
			throw vm;
		}
	}

	@Override
	public String toString() {
		return "PhosphoAdvisor{order=" + order + '}';
	}
}

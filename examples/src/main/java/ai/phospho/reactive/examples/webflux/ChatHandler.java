package ai.phospho.reactive.examples.webflux;

import ai.phospho.reactive.Phospho;
import ai.phospho.reactive.PhosphoContext;
import ai.phospho.reactive.openai.ChatCompletionChunk;
import ai.phospho.reactive.openai.ChatCompletionRequest;
import ai.phospho.reactive.openai.OpenAiClient;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code POST /chat}: one streamed completion per request, relayed as Server-Sent Events and logged
 * as one task. When the client goes away mid-stream, WebFlux cancels the stream: the task is logged
 * with {@code stream_status: cancelled} and the text streamed so far.
 */
public final class ChatHandler {

	/** The request header naming the phospho session. */
	public static final String SESSION_HEADER = "X-Session-Id";

	static final String SYSTEM_PROMPT = "You are a helpful assistant.";

	private final OpenAiClient openAi;
	private final String model;

	public ChatHandler(OpenAiClient openAi, String model) {
		this.openAi = openAi;
		this.model = model;
	}

	/** The body of {@code POST /chat}. */
	public record ChatRequest(String message) {
	}

	/** One event: text to append to the answer. */
	public record ChatDelta(String text) {
	}

	public Mono<ServerResponse> chat(ServerRequest request) {
		String session = request.headers().firstHeader(SESSION_HEADER);
		return request.bodyToMono(ChatRequest.class).flatMap(body -> {
			ChatCompletionRequest query = ChatCompletionRequest.builder(model)
					.system(SYSTEM_PROMPT)
					.user(body.message())
					.build();
			Flux<ServerSentEvent<ChatDelta>> events = openAi.chatStream(query)
					// One task per request: the raw chunks are logged, before they become events.
					.transform(Phospho.logStream(query))
					.map(ChatCompletionChunk::text)
					.filter(text -> !text.isEmpty())
					.map(text -> ServerSentEvent.builder(new ChatDelta(text)).build());
			if (session != null && !session.isBlank()) {
				// A Context written here is seen by the operators above it, logStream included.
				events = events.contextWrite(PhosphoContext.session(session));
			}
			return ServerResponse.ok().contentType(MediaType.TEXT_EVENT_STREAM)
					.body(BodyInserters.fromServerSentEvents(events));
		});
	}
}

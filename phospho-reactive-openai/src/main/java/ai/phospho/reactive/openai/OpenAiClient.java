package ai.phospho.reactive.openai;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.StreamLog;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A non-blocking client of the Chat Completions API of OpenAI and of compatible servers (Ollama's
 * {@code /v1}, vLLM, ...), on Reactor Netty. With {@link Builder#phospho(PhosphoClient)} every call
 * is logged as a task, streams included, like the Python SDK's {@code auto_log}.
 *
 * <pre>{@code
 * OpenAiClient openai = OpenAiClient.builder().phospho(phospho).build();   // OPENAI_API_KEY
 * Mono<ChatCompletion> reply = openai.chat(query);
 * Flux<String> text = openai.chatStream(query).map(ChatCompletionChunk::text);
 * }</pre>
 *
 * <p>Errors: a non-2xx reply, or an error object sent mid-stream, is an {@link OpenAiException}
 * error signal; no bytes for {@link Builder#responseTimeout} is a
 * {@link java.util.concurrent.TimeoutException}. Nothing is retried. The API key is in no message
 * and no {@code toString()}.
 */
public final class OpenAiClient {


	/** Default {@value}. */
	public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
	/** The environment variable read for the API key: {@value}. */
	public static final String API_KEY_ENV = "OPENAI_API_KEY";
	/** Default time to open a connection: 10 seconds. */
	public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
	/**
	 * Default longest wait for the next bytes of a reply: 10 minutes, as OpenAI's SDKs, since a
	 * reasoning model may think that long before its first token.
	 */
	public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofMinutes(10);

	private final Transport transport;
	private final @Nullable PhosphoClient phospho;

	private OpenAiClient(Builder b) {
		this.transport = new Transport(b.httpClient, b.baseUrl, b.apiKey, b.headers, b.connectTimeout,
				b.responseTimeout);
		this.phospho = b.phospho;
	}

	/** A builder with the defaults, the API key from {@code OPENAI_API_KEY}. */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * One completion. {@code stream} and {@code stream_options} are left out of the request.
	 * Logged, when phospho is set, with the request as input and the completion as output; a call
	 * that fails or is cancelled before its reply is not logged.
	 */
	public Mono<ChatCompletion> chat(ChatCompletionRequest request) {
		Objects.requireNonNull(request, "request");
		ChatCompletionRequest sent = request.stream() == null && request.streamOptions() == null ? request
				: request.toBuilder().stream(null).streamOptions(null).build();
		Mono<ChatCompletion> call = transport.post("/chat/completions", sent)
				.map(bytes -> Json.MAPPER.readValue(bytes, ChatCompletion.class));
		PhosphoClient p = phospho;
		// logMono logs the completion, and an error or a cancel too, with stream_status and latency_ms.
		return p == null ? call : p.logMono(sent, call);
	}

	/**
	 * A streamed completion: the request is sent with {@code stream: true} and
	 * {@code stream_options.include_usage: true}, so the last chunk has no choices and carries the
	 * usage. Completes at {@code data: [DONE]}. Reading follows demand; cancelling closes the
	 * connection. Logged, when phospho is set, as one task per subscription (see
	 * {@link ChatStreamAssembler} for the output), also when cancelled or failed.
	 */
	public Flux<ChatCompletionChunk> chatStream(ChatCompletionRequest request) {
		Objects.requireNonNull(request, "request");
		StreamOptions options = request.streamOptions();
		ChatCompletionRequest sent = request.toBuilder()
				.stream(true)
				.streamOptions(new StreamOptions(true, options == null ? Map.of() : options.extra()))
				.build();
		Flux<ChatCompletionChunk> chunks = transport.postStream("/chat/completions", sent, "text/event-stream",
				(res, body) -> {
					SseParser parser = new SseParser();
					int status = res.status().code();
					String requestId = res.responseHeaders().get("x-request-id");
					return body.concatMapIterable(parser::feed, 1)
							.concatWith(Flux.defer(() -> Flux.fromIterable(parser.finish())))
							.<ChatCompletionChunk>handle((event, sink) -> {
								String data = event.data();
								if ("[DONE]".equals(data.strip())) {
									sink.complete();
									return;
								}
								ChatCompletionChunk chunk;
								try {
									// One pass: an error object lands in the chunk's unknown fields.
									chunk = Json.MAPPER.readValue(data, ChatCompletionChunk.class);
								}
								catch (JacksonException e) {
									// An event cut with the connection is the transport's failure, not the server's.
									sink.error(event.unterminated() ? Transport.prematureClose(data.length())
											: new IllegalStateException("a stream event is not a JSON object: "
													+ abbreviate(data), e));
									return;
								}
								if (chunk.extra().containsKey("error") || "error".equals(event.event())) {
									JsonNode node = Json.MAPPER.valueToTree(chunk.extra());
									sink.error(transport.midStreamError(status, node, requestId));
									return;
								}
								sink.next(chunk);
							});
				});
		return phospho == null ? chunks : chunks.transform(logging(sent));
	}

	/** The one place that decides how a stream is logged. */
	private Function<Flux<ChatCompletionChunk>, Flux<ChatCompletionChunk>> logging(ChatCompletionRequest sent) {
		PhosphoClient p = Objects.requireNonNull(phospho);
		// The raw output is the assembled completion (tool-call fragments joined), not the chunk list.
		return p.logStream(StreamLog.<ChatCompletionChunk>of(sent).rawOutput(ChatStreamAssembler.collector()));
	}

	static String abbreviate(String s) {
		return s.length() <= 200 ? s : s.substring(0, 200) + "...";
	}

	@Override
	public String toString() {
		return "OpenAiClient{" + transport + ", phospho=" + (phospho != null) + '}';
	}

	/** Configures an {@link OpenAiClient}; validated at {@link #build()}. */
	public static final class Builder {
		private String baseUrl = DEFAULT_BASE_URL;
		private @Nullable String apiKey = System.getenv(API_KEY_ENV);
		private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
		private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
		private final Map<String, String> headers = new LinkedHashMap<>();
		private @Nullable PhosphoClient phospho;
		private HttpClient httpClient = HttpClient.create();

		private Builder() {
		}

		/** The API root, {@code /v1} included. Default {@value OpenAiClient#DEFAULT_BASE_URL}. */
		public Builder baseUrl(String baseUrl) {
			this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
			return this;
		}

		/** Sent as {@code Authorization: Bearer}; none when null or blank. Default: {@code OPENAI_API_KEY}. */
		public Builder apiKey(@Nullable String apiKey) {
			this.apiKey = apiKey;
			return this;
		}

		/** Default 10 seconds. */
		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
			return this;
		}

		/** The longest wait for the next bytes of a reply. Default 10 minutes. */
		public Builder responseTimeout(Duration responseTimeout) {
			this.responseTimeout = Objects.requireNonNull(responseTimeout, "responseTimeout");
			return this;
		}

		/** A header sent with every request, such as {@code OpenAI-Organization}. */
		public Builder header(String name, String value) {
			headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
			return this;
		}

		/** Logs every call to this phospho client. Default: no logging. */
		public Builder phospho(@Nullable PhosphoClient phospho) {
			this.phospho = phospho;
			return this;
		}

		/** The Reactor Netty client to start from (proxy, TLS, pool, metrics). Default {@code HttpClient.create()}. */
		public Builder httpClient(HttpClient httpClient) {
			this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
			return this;
		}

		/** @throws IllegalArgumentException when a value is out of range, naming it */
		public OpenAiClient build() {
			Clients.validate(baseUrl, connectTimeout, responseTimeout);
			return new OpenAiClient(this);
		}
	}
}

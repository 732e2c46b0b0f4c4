package ai.phospho.reactive.openai;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collector;

import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.StreamLog;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A non-blocking client of Ollama's native {@code /api/generate} and {@code /api/chat}, whose
 * streams are NDJSON (one JSON object a line). A stream ends at the line with
 * {@code "done": true} (the stop rule of the reference document's Ollama example), even when the
 * server keeps the connection open. For Ollama's OpenAI-compatible {@code /v1}, use
 * {@link OpenAiClient} with {@code baseUrl("http://localhost:11434/v1")}.
 *
 * <pre>{@code
 * OllamaClient ollama = OllamaClient.builder().phospho(phospho).build();
 * ollama.generateStream(OllamaGenerateRequest.builder("mistral-7b", prompt).context(List.of()).build())
 *     .map(OllamaGenerateResponse::text)
 *     .subscribe(System.out::print);
 * }</pre>
 */
public final class OllamaClient {


	/** Default {@value}. */
	public static final String DEFAULT_BASE_URL = "http://localhost:11434";
	/** Marks a last line that had no line end; NUL never starts a JSON line. */
	private static final String UNTERMINATED = "\0";

	private final Transport transport;
	private final @Nullable PhosphoClient phospho;

	private OllamaClient(Builder b) {
		this.transport = new Transport(b.httpClient, b.baseUrl, null, b.headers, b.connectTimeout, b.responseTimeout);
		this.phospho = b.phospho;
	}

	public static Builder builder() {
		return new Builder();
	}

	/** One generation, sent with {@code stream: false}. */
	public Mono<OllamaGenerateResponse> generate(OllamaGenerateRequest request) {
		OllamaGenerateRequest sent = request.withStream(false);
		return logged(sent, transport.post("/api/generate", sent)
				.map(bytes -> Json.MAPPER.readValue(bytes, OllamaGenerateResponse.class)));
	}

	/** A streamed generation, sent with {@code stream: true}; ends after the {@code done} line. */
	public Flux<OllamaGenerateResponse> generateStream(OllamaGenerateRequest request) {
		OllamaGenerateRequest sent = request.withStream(true);
		Flux<OllamaGenerateResponse> lines = ndjson("/api/generate", sent, OllamaGenerateResponse.class,
				OllamaGenerateResponse::finished);
		return phospho == null ? lines : lines.transform(logging(sent, GenerateAccumulator.COLLECTOR));
	}

	/** One chat reply, sent with {@code stream: false}. */
	public Mono<OllamaChatResponse> chat(OllamaChatRequest request) {
		OllamaChatRequest sent = request.withStream(false);
		return logged(sent, transport.post("/api/chat", sent)
				.map(bytes -> Json.MAPPER.readValue(bytes, OllamaChatResponse.class)));
	}

	/** A streamed chat reply, sent with {@code stream: true}; ends after the {@code done} line. */
	public Flux<OllamaChatResponse> chatStream(OllamaChatRequest request) {
		OllamaChatRequest sent = request.withStream(true);
		Flux<OllamaChatResponse> lines = ndjson("/api/chat", sent, OllamaChatResponse.class,
				OllamaChatResponse::finished);
		return phospho == null ? lines : lines.transform(logging(sent, ChatAccumulator.COLLECTOR));
	}

	private <T> Flux<T> ndjson(String path, Object body, Class<T> type, Predicate<T> done) {
		return transport.postStream(path, body, "application/x-ndjson", (res, bytes) -> {
			LineSplitter splitter = new LineSplitter(LineSplitter.DEFAULT_MAX_LINE_BYTES);
			int status = res.status().code();
			return bytes.concatMapIterable(b -> {
						List<String> out = new ArrayList<>(4);
						splitter.feed(b, out::add);
						return out;
					}, 1)
					.concatWith(Flux.defer(() -> {
						List<String> out = new ArrayList<>(1);
						if (splitter.finish(out::add)) {
							// A last line without its line end: whole if it parses, else cut with the connection.
							out.set(0, UNTERMINATED + out.get(0));
						}
						return Flux.fromIterable(out);
					}))
					.filter(line -> !line.isBlank())
					.<T>handle((line, sink) -> {
						boolean unterminated = line.startsWith(UNTERMINATED);
						String json = unterminated ? line.substring(UNTERMINATED.length()) : line;
						JsonNode node;
						try {
							node = Json.MAPPER.readTree(json);
						}
						catch (JacksonException e) {
							sink.error(unterminated ? Transport.prematureClose(json.length())
									: new IllegalStateException("a stream line is not JSON: "
											+ OpenAiClient.abbreviate(json), e));
							return;
						}
						if (node.has("error")) {
							sink.error(transport.midStreamError(status, node, null));
							return;
						}
						sink.next(Json.MAPPER.treeToValue(node, type));
					})
					.takeUntil(done);
		});
	}

	private <T> Mono<T> logged(Object sent, Mono<T> call) {
		PhosphoClient p = phospho;
		// logMono logs the reply, and an error or a cancel too.
		return p == null ? call : p.logMono(sent, call);
	}

	/** Logs a stream as one task; the raw output is the last line holding the whole reply. */
	private <T> Function<Flux<T>, Flux<T>> logging(Object sent, Collector<T, ?, ?> reply) {
		PhosphoClient p = Objects.requireNonNull(phospho);
		return p.logStream(StreamLog.<T>of(sent).rawOutput(reply));
	}

	@Override
	public String toString() {
		return "OllamaClient{" + transport + ", phospho=" + (phospho != null) + '}';
	}

	/** Concatenates {@code response} and {@code thinking}; the reply logged is the last line with the whole text. */
	static final class GenerateAccumulator {
		static final Collector<OllamaGenerateResponse, GenerateAccumulator, @Nullable Object> COLLECTOR =
				Collector.of(GenerateAccumulator::new, GenerateAccumulator::add, OllamaClient::sequentialOnly,
						GenerateAccumulator::output);

		private final StringBuilder text = new StringBuilder();
		private @Nullable StringBuilder thinking;
		private @Nullable OllamaGenerateResponse last;

		void add(OllamaGenerateResponse line) {
			text.append(line.text());
			if (line.thinking() != null) {
				thinking = thinking == null ? new StringBuilder(line.thinking()) : thinking.append(line.thinking());
			}
			last = line;
		}

		@Nullable Object output() {
			return last == null ? null
					: last.withResponse(text.toString(), thinking == null ? null : thinking.toString());
		}
	}

	/**
	 * Assembles the message of a chat stream: content and thinking concatenated, images and tool calls
	 * appended, other fields kept (the last value winning); the reply logged is the last line with it.
	 */
	static final class ChatAccumulator {
		static final Collector<OllamaChatResponse, ChatAccumulator, @Nullable Object> COLLECTOR =
				Collector.of(ChatAccumulator::new, ChatAccumulator::add, OllamaClient::sequentialOnly,
						ChatAccumulator::output);

		private final StringBuilder text = new StringBuilder();
		private @Nullable StringBuilder thinking;
		private @Nullable List<String> images;
		private @Nullable List<Map<String, Object>> toolCalls;
		private final Map<String, Object> extra = new LinkedHashMap<>();
		private @Nullable OllamaChatResponse last;
		private @Nullable String role;

		void add(OllamaChatResponse line) {
			OllamaMessage m = line.message();
			if (m != null) {
				if (role == null) {
					role = m.role();
				}
				if (m.content() != null) {
					text.append(m.content());
				}
				if (m.thinking() != null) {
					thinking = thinking == null ? new StringBuilder(m.thinking()) : thinking.append(m.thinking());
				}
				if (m.images() != null) {
					images = images == null ? new ArrayList<>() : images;
					images.addAll(m.images());
				}
				if (m.toolCalls() != null) {
					toolCalls = toolCalls == null ? new ArrayList<>() : toolCalls;
					toolCalls.addAll(m.toolCalls());
				}
				extra.putAll(m.extra());
			}
			last = line;
		}

		@Nullable Object output() {
			if (last == null) {
				return null;
			}
			return last.withMessage(new OllamaMessage(role == null ? "assistant" : role, text.toString(),
					thinking == null ? null : thinking.toString(), images, toolCalls, extra));
		}
	}

	private static <A> A sequentialOnly(A a, A b) {
		throw new UnsupportedOperationException("a stream is assembled in order, on one thread");
	}

	/** Configures an {@link OllamaClient}. */
	public static final class Builder {
		private String baseUrl = DEFAULT_BASE_URL;
		private Duration connectTimeout = OpenAiClient.DEFAULT_CONNECT_TIMEOUT;
		private Duration responseTimeout = OpenAiClient.DEFAULT_RESPONSE_TIMEOUT;
		private final Map<String, String> headers = new LinkedHashMap<>();
		private @Nullable PhosphoClient phospho;
		private HttpClient httpClient = HttpClient.create();

		private Builder() {
		}

		/** The server root, without {@code /api}. Default {@value OllamaClient#DEFAULT_BASE_URL}. */
		public Builder baseUrl(String baseUrl) {
			this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
			return this;
		}

		/** Default 10 seconds. */
		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
			return this;
		}

		/** The longest wait for the next bytes of a reply (a model loading counts). Default 10 minutes. */
		public Builder responseTimeout(Duration responseTimeout) {
			this.responseTimeout = Objects.requireNonNull(responseTimeout, "responseTimeout");
			return this;
		}

		/** A header sent with every request. */
		public Builder header(String name, String value) {
			headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
			return this;
		}

		/** Logs every call to this phospho client. Default: no logging. */
		public Builder phospho(@Nullable PhosphoClient phospho) {
			this.phospho = phospho;
			return this;
		}

		public Builder httpClient(HttpClient httpClient) {
			this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
			return this;
		}

		/** @throws IllegalArgumentException when a value is out of range, naming it */
		public OllamaClient build() {
			Clients.validate(baseUrl, connectTimeout, responseTimeout);
			return new OllamaClient(this);
		}
	}
}

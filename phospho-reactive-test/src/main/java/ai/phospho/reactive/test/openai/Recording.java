package ai.phospho.reactive.test.openai;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Wire responses in the format of OpenAI's Chat Completions API and Ollama's native API, replayed
 * byte for byte by {@link MockOpenAiServer}. The first ones answer the reference document's
 * question, "Explain quantum computers in less than 20 words."; the others are real traffic, each
 * one's public source named in {@code SOURCES.md} next to the bodies (those completed by hand are
 * marked derived there).
 */
public enum Recording {

	/** A non-streamed {@code chat.completion} with usage. Derived: OpenAI's documented shape. */
	CHAT_COMPLETION("chat-completion.json", 200, "application/json"),
	/** A non-streamed completion that calls {@code get_weather} for Paris, with usage. Derived. */
	TOOL_CALL_COMPLETION("chat-tool-call-completion.json", 200, "application/json"),
	/** The completion after that tool's result: "It is sunny in Paris.", with usage. Derived. */
	TOOL_RESULT_ANSWER("chat-tool-result-answer.json", 200, "application/json"),
	/**
	 * A stream of 15 {@code chat.completion.chunk} events: a role chunk with content {@code ""},
	 * 12 content chunks ("Qu", "bits", " harness", ...), a {@code finish_reason: stop} chunk, a
	 * trailing usage chunk without choices, then {@code data: [DONE]}. Derived: OpenAI's documented shape.
	 */
	CHAT_STREAM("chat-stream.sse", 200, "text/event-stream; charset=utf-8"),
	/** A stream of two parallel {@code get_weather} tool calls whose arguments come in fragments. Derived. */
	CHAT_STREAM_TOOL_CALLS("chat-stream-tool-calls.sse", 200, "text/event-stream; charset=utf-8"),
	/**
	 * Three chunks ("", "Qu", "bits"), then an error object as an event, then the end of the body.
	 * Derived: the error event openai-python's {@code _streaming.py} raises on.
	 */
	CHAT_STREAM_ERROR_MID_STREAM("chat-stream-error.sse", 200, "text/event-stream; charset=utf-8"),
	/**
	 * "Hello world" with CRLF line ends, {@code :} comments, an event whose JSON spans several
	 * {@code data:} lines, and {@code event:}/{@code id:} fields: what proxies and other servers send. Derived.
	 */
	CHAT_STREAM_CRLF_COMMENTS_MULTILINE("chat-stream-crlf.sse", 200, "text/event-stream"),
	/** 401 {@code invalid_api_key}: an OpenAI error body. Derived: OpenAI's documented error object. */
	ERROR_401("error-401.json", 401, "application/json; charset=utf-8"),
	/** 429 {@code rate_limit_exceeded}, with {@code retry-after}. Derived. */
	ERROR_429("error-429.json", 429, "application/json; charset=utf-8", Map.of("retry-after", "20")),
	/** Ollama {@code /api/generate} streaming: 12 lines of text, then the {@code done} line with counts. Derived. */
	OLLAMA_GENERATE_STREAM("ollama-generate-stream.ndjson", 200, "application/x-ndjson"),
	/** Ollama {@code /api/chat} streaming: 12 lines of text, then the {@code done} line with counts. Derived. */
	OLLAMA_CHAT_STREAM("ollama-chat-stream.ndjson", 200, "application/x-ndjson"),
	/** Ollama's 404 for a model that is not pulled. Derived. */
	OLLAMA_ERROR_404("ollama-error.json", 404, "application/json; charset=utf-8"),

	// Real traffic: where each body comes from is in SOURCES.md next to it.

	/** Recorded by openai-python: text, a usage chunk with {@code completion_tokens_details}, {@code [DONE]}. */
	OPENAI_TEXT_USAGE("openai-text-usage.sse", 200, "text/event-stream; charset=utf-8"),
	/** Recorded by openai-python: two parallel tool calls, arguments in fragments, a usage chunk. */
	OPENAI_PARALLEL_TOOL_CALLS("openai-parallel-tool-calls.sse", 200, "text/event-stream; charset=utf-8"),
	/** Recorded by openai-python: a refusal streamed in {@code delta.refusal}. */
	OPENAI_REFUSAL("openai-refusal.sse", 200, "text/event-stream; charset=utf-8"),
	/** Recorded by openai-python: {@code logprobs: true}, log probabilities on every chunk. */
	OPENAI_LOGPROBS("openai-logprobs.sse", 200, "text/event-stream; charset=utf-8"),
	/** Recorded by openai-python: {@code n: 3}, the chunks of three choices interleaved. */
	OPENAI_N3("openai-n3.sse", 200, "text/event-stream; charset=utf-8"),
	/**
	 * Azure OpenAI's default (synchronous) content filter: a first chunk with empty {@code model} and
	 * {@code choices} and {@code prompt_filter_results}, {@code content_filter_results} on every choice,
	 * a usage chunk. Derived from Azure's documented chunks; one chunk has non-ASCII text.
	 */
	AZURE_PROMPT_FILTER("azure-prompt-filter.sse", 200, "text/event-stream; charset=utf-8"),
	/** Azure OpenAI's asynchronous filter: annotation chunks with {@code model: ""}, the last one after the text. */
	AZURE_ASYNC_FILTER("azure-async-filter.sse", 200, "text/event-stream; charset=utf-8"),
	/** Cumulative usage on every chunk and no usage-only chunk, as Perplexity sends it; CRLF line ends. Derived. */
	USAGE_EVERY_CHUNK("usage-every-chunk.sse", 200, "text/event-stream"),
	/** A keep-alive comment first, a {@code : ping} comment between chunks, CRLF line ends. Derived. */
	SSE_COMMENTS_CRLF("sse-comments-crlf.sse", 200, "text/event-stream"),
	/** Ollama {@code /api/chat} streaming a tool call whose arguments are an object, then the {@code done} line. */
	OLLAMA_CHAT_TOOL_CALLS("ollama-chat-tool-calls.ndjson", 200, "application/x-ndjson"),
	/** Ollama {@code /api/generate} streaming, the {@code done} line with its counts and durations. */
	OLLAMA_GENERATE_COUNTS("ollama-generate-counts.ndjson", 200, "application/x-ndjson");

	private final String resource;
	private final int status;
	private final String contentType;
	private final Map<String, String> headers;

	Recording(String resource, int status, String contentType) {
		this(resource, status, contentType, Map.of());
	}

	Recording(String resource, int status, String contentType, Map<String, String> headers) {
		this.resource = resource;
		this.status = status;
		this.contentType = contentType;
		this.headers = headers;
	}

	/** The recorded body, exactly. */
	public byte[] body() {
		try (InputStream in = Recording.class.getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("recording " + resource + " is missing from the class path");
			}
			return in.readAllBytes();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	public int status() {
		return status;
	}

	public String contentType() {
		return contentType;
	}

	/** Extra response headers, besides {@code content-type} and {@code x-request-id}. */
	public Map<String, String> headers() {
		return headers;
	}

	/** A replay of this recording, sent at once. */
	public Replay replay() {
		return Replay.of(this);
	}
}

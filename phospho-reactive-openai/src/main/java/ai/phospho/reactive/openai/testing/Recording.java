package ai.phospho.reactive.openai.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Wire responses recorded in the format of OpenAI's Chat Completions API and Ollama's native API,
 * replayed byte for byte by {@link MockOpenAiServer}. The texts answer the reference document's
 * question, "Explain quantum computers in less than 20 words.".
 */
public enum Recording {

	/** A non-streamed {@code chat.completion} with usage. */
	CHAT_COMPLETION("chat-completion.json", 200, "application/json"),
	/**
	 * A stream of 15 {@code chat.completion.chunk} events: a role chunk with content {@code ""},
	 * 12 content chunks ("Qu", "bits", " harness", ...), a {@code finish_reason: stop} chunk, a
	 * trailing usage chunk without choices, then {@code data: [DONE]}.
	 */
	CHAT_STREAM("chat-stream.sse", 200, "text/event-stream; charset=utf-8"),
	/** A stream of two parallel {@code get_weather} tool calls whose arguments come in fragments. */
	CHAT_STREAM_TOOL_CALLS("chat-stream-tool-calls.sse", 200, "text/event-stream; charset=utf-8"),
	/** Three chunks ("", "Qu", "bits"), then an error object as an event, then the end of the body. */
	CHAT_STREAM_ERROR_MID_STREAM("chat-stream-error.sse", 200, "text/event-stream; charset=utf-8"),
	/**
	 * "Hello world" with CRLF line ends, {@code :} comments, an event whose JSON spans several
	 * {@code data:} lines, and {@code event:}/{@code id:} fields: what proxies and other servers send.
	 */
	CHAT_STREAM_CRLF_COMMENTS_MULTILINE("chat-stream-crlf.sse", 200, "text/event-stream"),
	/** 401 {@code invalid_api_key}. */
	ERROR_401("error-401.json", 401, "application/json; charset=utf-8"),
	/** 429 {@code rate_limit_exceeded}, with {@code retry-after}. */
	ERROR_429("error-429.json", 429, "application/json; charset=utf-8", Map.of("retry-after", "20")),
	/** Ollama {@code /api/generate} streaming: 12 lines of text, then the {@code done} line with counts. */
	OLLAMA_GENERATE_STREAM("ollama-generate-stream.ndjson", 200, "application/x-ndjson"),
	/** Ollama {@code /api/chat} streaming: 12 lines of text, then the {@code done} line with counts. */
	OLLAMA_CHAT_STREAM("ollama-chat-stream.ndjson", 200, "application/x-ndjson"),
	/** Ollama's 404 for a model that is not pulled. */
	OLLAMA_ERROR_404("ollama-error.json", 404, "application/json; charset=utf-8");

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

package ai.phospho.reactive.openai;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * An error reply of an OpenAI-compatible or Ollama server: a non-2xx status, or an error object
 * sent in the middle of a stream (then {@link #status()} is the stream's 2xx status and
 * {@link #midStream()} is true). The message is the server's; the API key never appears in it.
 */
public final class OpenAiException extends RuntimeException {

	private static final long serialVersionUID = 1L;
	/** How much of a body that is not an error object the message keeps. */
	static final int MAX_BODY_CHARS = 500;

	private final int status;
	private final @Nullable String type;
	private final @Nullable String code;
	private final @Nullable String param;
	private final @Nullable String requestId;
	private final boolean midStream;

	OpenAiException(int status, String message, @Nullable String type, @Nullable String code, @Nullable String param,
			@Nullable String requestId, boolean midStream) {
		super(describe(status, message, type, code, midStream));
		this.status = status;
		this.type = type;
		this.code = code;
		this.param = param;
		this.requestId = requestId;
		this.midStream = midStream;
	}

	/** The HTTP status of the reply. */
	public int status() {
		return status;
	}

	/** OpenAI's error {@code type}, such as {@code invalid_request_error}; null when the server sent none. */
	public @Nullable String type() {
		return type;
	}

	/** OpenAI's error {@code code}, such as {@code invalid_api_key} or {@code rate_limit_exceeded}. */
	public @Nullable String code() {
		return code;
	}

	/** The request parameter the error is about, when the server names one. */
	public @Nullable String param() {
		return param;
	}

	/** The server's {@code x-request-id}, to quote to its support. */
	public @Nullable String requestId() {
		return requestId;
	}

	/** Whether the error arrived as an event of a stream that had started. */
	public boolean midStream() {
		return midStream;
	}

	/** Whether retrying later may succeed: 408, 409, 429 and 5xx. */
	public boolean isRetryable() {
		return status == 408 || status == 409 || status == 429 || status >= 500;
	}

	/** The exception for an error reply's body; {@code secret} is blanked out of everything kept. */
	static OpenAiException fromBody(int status, byte[] body, @Nullable String requestId, @Nullable String secret) {
		try {
			JsonNode node = Json.MAPPER.readTree(body);
			if (node != null && node.isObject()) {
				return fromNode(status, node, requestId, secret, false);
			}
		}
		catch (JacksonException notJson) {
			// An HTML page from a proxy, or plain text: quoted below.
		}
		String text = new String(body, StandardCharsets.UTF_8).strip();
		if (text.length() > MAX_BODY_CHARS) {
			text = text.substring(0, MAX_BODY_CHARS) + "...";
		}
		return new OpenAiException(status, redact(text.isEmpty() ? "(empty body)" : text, secret), null, null, null,
				requestId, false);
	}

	/**
	 * The exception for an error object: OpenAI's {@code {"error": {"message", "type", "code",
	 * "param"}}} or Ollama's {@code {"error": "..."}}.
	 */
	static OpenAiException fromNode(int status, JsonNode node, @Nullable String requestId, @Nullable String secret,
			boolean midStream) {
		JsonNode error = node.path("error");
		String message;
		String type = null;
		String code = null;
		String param = null;
		if (error.isObject()) {
			message = text(error.path("message"));
			type = text(error.path("type"));
			code = text(error.path("code"));
			param = text(error.path("param"));
		}
		else if (error.isString()) {
			message = error.stringValue();
		}
		else {
			message = text(node.path("message"));
			if (message == null) {
				message = text(node.path("detail"));
			}
		}
		if (message == null) {
			message = node.toString();
		}
		return new OpenAiException(status, redact(message, secret), redactNullable(type, secret),
				redactNullable(code, secret), redactNullable(param, secret), requestId, midStream);
	}

	private static @Nullable String text(JsonNode node) {
		if (node.isMissingNode() || node.isNull()) {
			return null;
		}
		return node.isString() ? node.stringValue() : node.toString();
	}

	private static String describe(int status, String message, @Nullable String type, @Nullable String code,
			boolean midStream) {
		StringBuilder sb = new StringBuilder(midStream ? "error event in the stream (status " : "HTTP ").append(status);
		if (midStream) {
			sb.append(')');
		}
		if (type != null || code != null) {
			sb.append(" (");
			if (type != null) {
				sb.append(type);
			}
			if (code != null) {
				sb.append(type != null ? ", " : "").append(code);
			}
			sb.append(')');
		}
		return sb.append(": ").append(message).toString();
	}

	private static @Nullable String redactNullable(@Nullable String s, @Nullable String secret) {
		return s == null ? null : redact(s, secret);
	}

	/** Blanks the API key out of text a server sent back, in case it echoed it whole. */
	static String redact(String s, @Nullable String secret) {
		if (secret == null || secret.length() < 4 || !s.contains(secret)) {
			return s;
		}
		return s.replace(secret, "***");
	}
}

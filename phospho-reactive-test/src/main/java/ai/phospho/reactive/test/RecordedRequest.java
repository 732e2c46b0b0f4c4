package ai.phospho.reactive.test;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One request received by {@link MockPhosphoServer}.
 *
 * @param method        the HTTP method
 * @param path          the request path, e.g. {@code /v2/log/test-project}
 * @param headers       the request headers, names in lower case
 * @param body          the body as text, gunzipped when it was sent with {@code Content-Encoding: gzip}
 * @param events        the parsed {@code batched_log_events}, valid or not; empty for other requests
 * @param status        the status replied, or {@code -1} when the connection was closed before a reply
 * @param receivedNanos {@link System#nanoTime()} when the request's body was received
 */
public record RecordedRequest(String method, String path, Map<String, List<String>> headers, String body,
		List<Map<String, @Nullable Object>> events, int status, long receivedNanos) {

	/** The first value of a header, {@code null} when absent; the name is case-insensitive. */
	public @Nullable String header(String name) {
		List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
		return values == null || values.isEmpty() ? null : values.get(0);
	}

	/** The {@code task_id}s of the events, in order. */
	public List<@Nullable Object> taskIds() {
		return events.stream().map(e -> e.get("task_id")).toList();
	}

	@Override
	public String toString() {
		return "RecordedRequest{" + method + ' ' + path + ", events=" + events.size() + ", status=" + status + '}';
	}
}

package ai.phospho.reactive.export;

import java.io.OutputStream;
import java.util.List;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.internal.EventWriter;
import ai.phospho.reactive.internal.Failures;
import ai.phospho.reactive.internal.Json;
import ai.phospho.reactive.internal.KeyRedactor;
import ai.phospho.reactive.internal.PhosphoApi;
import ai.phospho.reactive.internal.Plain;
import ai.phospho.reactive.internal.Reports;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.Logger;
import reactor.util.Loggers;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * Sends batches to the phospho API: {@code POST {baseUrl}/v2/log/{projectId}} with body
 * {@code {"batched_log_events": [...]}} and {@code Authorization: Bearer <key>}, over Reactor Netty
 * with pooled, kept-alive connections, connect and response timeouts, and optional gzip of request
 * bodies. The client creates one when an API key is set; its settings are customised with
 * {@link ai.phospho.reactive.PhosphoOptionsBuilder#httpExporter}, or an exporter built here is given to
 * {@link ai.phospho.reactive.PhosphoOptionsBuilder#exporter}:
 *
 * <pre>{@code
 * PhosphoOptions options = PhosphoOptions.fromEnvironment()
 *     .httpExporter(http -> http.responseTimeout(Duration.ofSeconds(10)).gzip(true))
 *     .build();
 * }</pre>
 *
 * <p>Failures:
 * <ul>
 * <li>transient ones (connection refused or reset, timeouts, 408, 429, 5xx) are retried with
 * exponential backoff and full jitter from {@link PhosphoHttpExporterBuilder#initialBackoff} up to
 * {@link PhosphoHttpExporterBuilder#maxBackoff}, waiting at least what a {@code Retry-After} header asks, for up to
 * {@link PhosphoHttpExporterBuilder#maxRetryDuration}; then the batch fails and is counted;</li>
 * <li>413: the batch is split in halves until each part fits; a single event still too large is
 * dropped and counted as rejected;</li>
 * <li>any other 4xx (400, 401, 403, 404, 422): not retried; the batch fails, and one error line says
 * what to check (key, project id) with the key redacted;</li>
 * <li>{@code error_in_log} entries of a 200 reply are counted as rejected, each reason at debug.</li>
 * </ul>
 *
 * <p><b>Delivery is at least once, with stable ids.</b> A retried batch is sent again with the same
 * {@code task_id}s, so when a reply is lost after the server stored a batch, the server receives the
 * same tasks twice under the same ids.
 *
 * <p>The API key never appears in a log line, an exception message or {@link #toString()}.
 */
public final class PhosphoHttpExporter implements TaskExporter {

	/** Seconds to open a connection to the phospho API at most. */
	public static final long DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
	/** Seconds to wait for the API's reply at most. */
	public static final long DEFAULT_RESPONSE_TIMEOUT_SECONDS = 30;
	/** Milliseconds of the first retry's backoff ceiling; it doubles per attempt (full jitter). */
	public static final long DEFAULT_INITIAL_BACKOFF_MILLIS = 500;
	/** Seconds of the largest backoff ceiling: the Python SDK's cap. */
	public static final long DEFAULT_MAX_BACKOFF_SECONDS = 60;
	/** Minutes a batch is retried at most before it is dropped and counted. */
	public static final long DEFAULT_MAX_RETRY_MINUTES = 10;
	/**
	 * Connections to the API at most: two per batch in flight with the client's default
	 * {@code maxConcurrentExports}. The client's default exporter has twice its maxConcurrentExports.
	 */
	public static final int DEFAULT_MAX_CONNECTIONS = 2 * PhosphoOptions.DEFAULT_MAX_CONCURRENT_EXPORTS;

	// Upper limits: build() refuses more. They keep every duration far from where toNanos() overflows
	// (292 years, e.g. ChronoUnit.FOREVER) and every value within what the client can use.
	/** Seconds {@code connectTimeout} may be at most: more than any TCP connect attempt lasts. */
	public static final long LIMIT_CONNECT_TIMEOUT_SECONDS = 300;
	/** Seconds {@code responseTimeout} may be at most: beyond, a stalled request would go unnoticed. */
	public static final long LIMIT_RESPONSE_TIMEOUT_SECONDS = 600;
	/** Seconds {@code initialBackoff} and {@code maxBackoff} may be at most. */
	public static final long LIMIT_BACKOFF_SECONDS = 3600;
	/** Hours {@code maxRetryDuration} may be at most: a week. */
	public static final long LIMIT_RETRY_HOURS = 168;

	private static final Logger LOG = Loggers.getLogger("ai.phospho.reactive.http");
	/** The bytes of the body around the events. */
	private static final int ENVELOPE = "{\"batched_log_events\":[]}".length();

	static {
		PhosphoApi.ofExporter(e -> e instanceof PhosphoHttpExporter h ? h.api : null);
	}

	private final PhosphoApi.Config config;
	private final PhosphoApi api;
	private final String logUri;

	PhosphoHttpExporter(PhosphoApi.Config config) {
		this.config = config;
		this.api = PhosphoApi.create(config);
		this.logUri = api.logUri();
	}

	/**
	 * A builder with every default; {@link PhosphoHttpExporterBuilder#apiKey apiKey} and
	 * {@link PhosphoHttpExporterBuilder#projectId projectId} are required.
	 */
	public static PhosphoHttpExporterBuilder builder() {
		return new PhosphoHttpExporterBuilder();
	}

	/** A builder holding these settings, to derive a variant (with its own connection pool). */
	public PhosphoHttpExporterBuilder toBuilder() {
		return new PhosphoHttpExporterBuilder(config);
	}

	@Override
	public Mono<ExportResult> export(List<LoggedTask> batch) {
		return export(batch, ExportListener.NONE);
	}

	@Override
	public Mono<ExportResult> export(List<LoggedTask> batch, ExportListener listener) {
		return Mono.defer(() -> exportSplitting(batch, listener));
	}

	private Mono<ExportResult> exportSplitting(List<LoggedTask> batch, ExportListener listener) {
		return api.post(logUri, alloc -> body(alloc, batch), listener)
				.map(reply -> result(reply, batch, api.redactor()))
				.onErrorResume(e -> e instanceof PhosphoExportException p && p.status() == 413, e -> {
					if (batch.size() == 1) {
						Reports.warn(LOG, "phospho: task {} was dropped: its event of {} bytes is too large for the phospho API (413)",
								batch.get(0).taskId(), EventWriter.estimatedSize(batch.get(0)));
						return Mono.just(new ExportResult(0, 1));
					}
					int half = batch.size() / 2;
					return part(batch.subList(0, half), listener)
							.flatMap(a -> part(batch.subList(half, batch.size()), listener)
									.map(b -> new ExportResult(a.accepted() + b.accepted(), a.rejected() + b.rejected())));
				})
				.onErrorMap(e -> api.refused(e, logUri, batch.size() + " tasks were dropped"));
	}

	/** One half of a split batch: its failure counts its tasks as failed without failing the other half. */
	private Mono<ExportResult> part(List<LoggedTask> half, ExportListener listener) {
		return exportSplitting(half, listener).onErrorResume(e -> {
			listener.failed(api.redactor().redact(Failures.describe(e)));
			return Mono.just(new ExportResult(0, 0));
		});
	}

	/**
	 * The request body, written by the streaming generator straight into a pooled buffer sized from
	 * the tasks' size estimates: no byte array per task, no copy of a serialised event.
	 */
	ByteBuf body(ByteBufAllocator alloc, List<LoggedTask> batch) {
		long estimate = ENVELOPE + batch.size();
		for (LoggedTask t : batch) {
			estimate += EventWriter.estimatedSize(t);
		}
		ByteBuf buf = alloc.buffer((int) Math.min(Integer.MAX_VALUE - 8, estimate + estimate / 8 + 64));
		try (JsonGenerator g = Json.mapper().createGenerator((OutputStream) new ByteBufOutputStream(buf))) {
			g.writeStartObject();
			g.writeName("batched_log_events");
			g.writeStartArray();
			for (LoggedTask t : batch) {
				EventWriter.write(g, t);
			}
			g.writeEndArray();
			g.writeEndObject();
		}
		catch (RuntimeException e) {
			buf.release();
			throw e;
		}
		return buf;
	}

	/** Counts the {@code error_in_log} entries of a {@code logged_events} reply; each reason at debug. */
	static ExportResult result(byte[] reply, List<LoggedTask> batch, KeyRedactor redactor) {
		int size = batch.size();
		// The reply echoes every event: parsing it into a tree costs as much as writing the batch.
		// Without the bytes of the key anywhere, no event was refused, and the tree is not needed.
		if (ERROR_KEY.indexOf(reply) < 0) {
			return ExportResult.accepted(size);
		}
		JsonNode events;
		try {
			events = reply.length == 0 ? null : Json.mapper().readTree(reply).get("logged_events");
		}
		catch (RuntimeException e) {
			return ExportResult.accepted(size);
		}
		if (events == null || !events.isArray()) {
			return ExportResult.accepted(size);
		}
		int rejected = 0;
		for (int i = 0; i < events.size(); i++) {
			JsonNode e = events.get(i);
			if (e.has("error_in_log") && !echoesOwnKey(e, i < size ? batch.get(i) : null)) {
				rejected++;
				if (LOG.isDebugEnabled()) {
					Reports.debug(LOG, "phospho: the API rejected task {}: {}", i < size ? batch.get(i).taskId() : "#" + i,
							redactor.redactAndShorten(e.get("error_in_log").toString(), PhosphoApi.MAX_REPLY_CHARS));
				}
			}
		}
		rejected = Math.min(rejected, size);
		return new ExportResult(size - rejected, rejected);
	}

	/**
	 * Whether {@code entry} is the stored event of a task that put an {@code error_in_log} key of its
	 * own ({@link ai.phospho.reactive.TaskLog#put}), echoed: it carries the event's required
	 * {@code input}, where a refusal is {@code {"error_in_log": reason}} alone.
	 */
	private static boolean echoesOwnKey(JsonNode entry, @Nullable LoggedTask task) {
		return task != null && task.extras().containsKey("error_in_log") && entry.has("input");
	}

	/** The reply's search for the bytes of {@code "error_in_log"}, quotes included. */
	static final KeySearch ERROR_KEY = new KeySearch("\"error_in_log\"");

	@Override
	public Mono<Void> shutdown() {
		return api.shutdown();
	}

	@Override
	public String toString() {
		return "PhosphoHttpExporter{uri=" + logUri
				+ ", connectTimeout=" + config.connectTimeout()
				+ ", responseTimeout=" + config.responseTimeout()
				+ ", gzip=" + config.gzip()
				+ ", initialBackoff=" + config.initialBackoff()
				+ ", maxBackoff=" + config.maxBackoff()
				+ ", maxRetryDuration=" + config.maxRetryDuration()
				+ ", maxConnections=" + config.maxConnections()
				+ '}';
	}
}

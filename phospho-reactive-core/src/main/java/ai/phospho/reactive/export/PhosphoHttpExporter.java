package ai.phospho.reactive.export;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;

import ai.phospho.reactive.Flag;
import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.internal.EventWriter;
import ai.phospho.reactive.internal.Failures;
import ai.phospho.reactive.internal.Json;
import ai.phospho.reactive.internal.KeyRedactor;
import ai.phospho.reactive.internal.Plain;
import ai.phospho.reactive.internal.RateLimitedWarning;
import ai.phospho.reactive.internal.Reports;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.util.Logger;
import reactor.util.Loggers;
import reactor.util.retry.Retry;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * Sends batches to the phospho API: {@code POST {baseUrl}/v2/log/{projectId}} with body
 * {@code {"batched_log_events": [...]}} and {@code Authorization: Bearer <key>}, over Reactor Netty
 * with pooled, kept-alive connections, {@link PhosphoOptions#connectTimeout() connect} and
 * {@link PhosphoOptions#responseTimeout() response} timeouts, and optional gzip of request bodies.
 *
 * <p>Failures:
 * <ul>
 * <li>transient ones (connection refused or reset, timeouts, 408, 429, 5xx) are retried with
 * exponential backoff and full jitter from {@link PhosphoOptions#initialBackoff()} up to
 * {@link PhosphoOptions#maxBackoff()}, waiting at least what a {@code Retry-After} header asks, for
 * up to {@link PhosphoOptions#maxRetryDuration()}; then the batch fails and is counted;</li>
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
 * <p>The API key never appears in a log line or an exception message.
 */
public final class PhosphoHttpExporter implements TaskExporter {

	private static final Logger LOG = Loggers.getLogger("ai.phospho.reactive.http");
	/** The bytes of the body around the events. */
	private static final int ENVELOPE = "{\"batched_log_events\":[]}".length();
	static final String USER_AGENT = "phospho-reactive/" + version();

	/** Characters of a server's reply kept in a message, after redaction. */
	public static final int MAX_REPLY_CHARS = 500;

	private final String key;
	private final KeyRedactor redactor;
	private final String project;
	private final String baseUrl;
	private final String logUri;
	private final boolean gzip;
	private final HttpRetry retry;
	private final long maxRetryNanos;
	private final ConnectionProvider provider;
	private final HttpClient client;
	private final RateLimitedWarning errorLine = new RateLimitedWarning();

	private PhosphoHttpExporter(PhosphoOptions options) {
		this.key = Objects.requireNonNull(options.apiKey(), "apiKey must be set for the phospho API");
		this.redactor = new KeyRedactor(key);
		this.project = Objects.requireNonNull(options.projectId(), "projectId must be set for the phospho API");
		String base = options.baseUrl();
		while (base.endsWith("/")) {
			base = base.substring(0, base.length() - 1);
		}
		this.baseUrl = base;
		this.logUri = base + "/v2/log/" + pathSegment(project);
		this.gzip = options.gzip();
		this.retry = new HttpRetry(options.initialBackoff(), options.maxBackoff());
		this.maxRetryNanos = options.maxRetryDuration().toNanos();
		this.provider = ConnectionProvider.builder("phospho")
				.maxConnections((int) Math.min(Integer.MAX_VALUE, Math.max(2L, options.maxConcurrentExports() * 2L)))
				.maxIdleTime(Duration.ofSeconds(30))
				.build();
		String authorization = "Bearer " + key;
		HttpClient c = HttpClient.create(provider)
				.option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
						(int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()))
				.responseTimeout(options.responseTimeout())
				// Our own retry policy counts and paces every attempt; Reactor Netty's silent resend is off.
				.disableRetry(true)
				.headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, authorization)
						.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
						.set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON)
						.set(HttpHeaderNames.USER_AGENT, USER_AGENT));
		this.client = gzip ? c.headers(h -> h.set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP)) : c;
		warnIfUnencrypted(base);
	}

	/** An exporter for the API, project and key of {@code options}. */
	public static PhosphoHttpExporter create(PhosphoOptions options) {
		return new PhosphoHttpExporter(Objects.requireNonNull(options, "options"));
	}

	@Override
	public Mono<ExportResult> export(List<LoggedTask> batch) {
		return export(batch, ExportListener.NONE);
	}

	@Override
	public Mono<ExportResult> export(List<LoggedTask> batch, ExportListener listener) {
		return Mono.defer(() -> exportSplitting(batch, listener));
	}

	/**
	 * Posts {@code {"human_eval": ..., "project_id": ..., "source": "user", "notes": ...}} to
	 * {@code {baseUrl}/v2/tasks/{taskId}/human-eval}, with the retry rules of {@link #export}.
	 * Errors with a {@link PhosphoExportException} when the feedback could not be delivered.
	 */
	public Mono<Void> userFeedback(String taskId, Flag flag, @Nullable String notes) {
		Objects.requireNonNull(taskId, "taskId");
		Objects.requireNonNull(flag, "flag");
		Map<String, @Nullable Object> body = new LinkedHashMap<>();
		body.put("human_eval", flag.wireValue());
		body.put("project_id", project);
		body.put("source", "user");
		body.put("notes", notes);
		byte[] json = Json.mapper().writeValueAsBytes(body);
		String uri = baseUrl + "/v2/tasks/" + pathSegment(taskId) + "/human-eval";
		return retrying(post(uri, alloc -> encode(alloc, json)), ExportListener.NONE)
				.onErrorMap(e -> fatal(e, uri, "the feedback on " + taskId + " was dropped"))
				.then();
	}

	private Mono<ExportResult> exportSplitting(List<LoggedTask> batch, ExportListener listener) {
		return retrying(post(logUri, alloc -> body(alloc, batch)), listener)
				.map(reply -> result(reply, batch, redactor))
				.onErrorResume(e -> e instanceof HttpRetry.StatusException s && s.status() == 413, e -> {
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
				.onErrorMap(e -> fatal(e, logUri, batch.size() + " tasks were dropped"));
	}

	/** One half of a split batch: its failure counts its tasks as failed without failing the other half. */
	private Mono<ExportResult> part(List<LoggedTask> half, ExportListener listener) {
		return exportSplitting(half, listener).onErrorResume(e -> {
			listener.failed(redactor.redact(Failures.describe(e)));
			return Mono.just(new ExportResult(0, 0));
		});
	}

	/** One attempt: the 2xx body, or a {@link HttpRetry.StatusException}, or a transport error. */
	private Mono<byte[]> post(String uri, java.util.function.Function<ByteBufAllocator, ByteBuf> body) {
		return client.post()
				.uri(uri)
				.send((request, out) -> out.send(Mono.fromSupplier(() -> body.apply(out.alloc()))))
				.responseSingle((response, content) -> {
					int status = response.status().code();
					if (status >= 200 && status < 300) {
						return content.asByteArray().defaultIfEmpty(new byte[0]);
					}
					Duration retryAfter = HttpRetry.parseRetryAfter(
							response.responseHeaders().get(HttpHeaderNames.RETRY_AFTER), System.currentTimeMillis());
					return content.asString(StandardCharsets.UTF_8)
							.defaultIfEmpty("")
							// Redacted before it is shortened: a cut through the key would leave a part no longer matched.
							.map(text -> redactor.redactAndShorten(text, MAX_REPLY_CHARS))
							.flatMap(text -> Mono.error(new HttpRetry.StatusException(status,
									"phospho API replied " + status + " to POST " + uri + ": " + text, retryAfter)));
				});
	}

	private Mono<byte[]> retrying(Mono<byte[]> attempt, ExportListener listener) {
		return Mono.defer(() -> {
			long start = System.nanoTime();
			return attempt.retryWhen(Retry.from(signals -> signals.concatMap(signal -> {
				Throwable e = signal.failure();
				if (!HttpRetry.isTransient(e)) {
					return Mono.error(e);
				}
				long n = signal.totalRetries() + 1;
				Duration delay = retry.delay(n,
						e instanceof HttpRetry.StatusException s ? s.retryAfter() : null);
				long elapsed = System.nanoTime() - start;
				if (elapsed + delay.toNanos() > maxRetryNanos) {
					return Mono.error(new PhosphoExportException(
							"phospho API not reached after " + n + " attempts in " + Duration.ofNanos(elapsed).toMillis()
									+ " ms (maxRetryDuration): " + redactor.redact(Failures.describe(e)), e));
				}
				String reason = redactor.redact(Failures.describe(e));
				listener.retrying(reason);
				if (LOG.isDebugEnabled()) {
					Reports.debug(LOG, "phospho: attempt {} failed, retrying in {} ms: {}", n, delay.toMillis(), reason);
				}
				return Mono.delay(delay);
			})));
		});
	}

	/** Logs the one error line of a refused request (rate-limited) and returns the error to signal. */
	private Throwable fatal(Throwable e, String uri, String consequence) {
		if (!(e instanceof HttpRetry.StatusException s)) {
			return e;
		}
		int status = s.status();
		if (errorLine.due()) {
			Reports.error(LOG, "phospho: the phospho API refused POST {} with {}: {}; {}. {}", uri, status, consequence,
					hint(status), s.getMessage());
		}
		return e;
	}

	private String hint(int status) {
		return switch (status) {
			case 401 -> "check the API key (PHOSPHO_API_KEY, now " + redactedKey() + ")";
			case 403 -> "check that the API key (" + redactedKey() + ") may write to project '" + project + "'";
			case 404 -> "check the project id (PHOSPHO_PROJECT_ID, now '" + project + "') and the base URL ("
					+ baseUrl + ")";
			case 400, 422 -> "the API found the request invalid: please report it with the server's reply below";
			default -> "not retried; check the key (" + redactedKey() + "), the project id ('" + project
					+ "') and the base URL (" + baseUrl + ")";
		};
	}

	private String redactedKey() {
		return key.length() >= 16 ? "****" + key.substring(key.length() - 4) : "****";
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
		return gzip ? gzip(alloc, buf) : buf;
	}

	private ByteBuf encode(ByteBufAllocator alloc, byte[] json) {
		ByteBuf buf = alloc.buffer(json.length).writeBytes(json);
		return gzip ? gzip(alloc, buf) : buf;
	}

	private static ByteBuf gzip(ByteBufAllocator alloc, ByteBuf plain) {
		ByteBuf out = alloc.buffer(Math.max(64, plain.readableBytes() / 4));
		try (OutputStream gz = new GZIPOutputStream(new ByteBufOutputStream(out), 8192)) {
			plain.readBytes(gz, plain.readableBytes());
		}
		catch (IOException e) {
			out.release();
			throw new IllegalStateException("gzip of an in-memory buffer failed", e);
		}
		finally {
			plain.release();
		}
		return out;
	}

	/** Counts the {@code error_in_log} entries of a {@code logged_events} reply; each reason at debug. */
	static ExportResult result(byte[] reply, List<LoggedTask> batch, KeyRedactor redactor) {
		int size = batch.size();
		// The reply echoes every event: parsing it into a tree costs as much as writing the batch.
		// Without the bytes of the key anywhere, no event was refused, and the tree is not needed.
		if (indexOf(reply, ERROR_KEY) < 0) {
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
			if (e.has("error_in_log")) {
				rejected++;
				if (LOG.isDebugEnabled()) {
					Reports.debug(LOG, "phospho: the API rejected task {}: {}", i < size ? batch.get(i).taskId() : "#" + i,
							redactor.redactAndShorten(e.get("error_in_log").toString(), MAX_REPLY_CHARS));
				}
			}
		}
		rejected = Math.min(rejected, size);
		return new ExportResult(size - rejected, rejected);
	}

	private static final byte[] ERROR_KEY = "\"error_in_log\"".getBytes(StandardCharsets.US_ASCII);

	/** The first index of {@code key} in {@code bytes}, or -1. */
	static int indexOf(byte[] bytes, byte[] key) {
		byte first = key[0];
		outer:
		for (int i = 0, last = bytes.length - key.length; i <= last; i++) {
			if (bytes[i] != first) {
				continue;
			}
			for (int j = 1; j < key.length; j++) {
				if (bytes[i + j] != key[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	private static void warnIfUnencrypted(String base) {
		URI uri = URI.create(base);
		if ("http".equalsIgnoreCase(uri.getScheme()) && !isLoopback(uri.getHost())) {
			Reports.warn(LOG, "phospho: baseUrl {} is plain http: the API key travels unencrypted; use https", base);
		}
	}

	static boolean isLoopback(@Nullable String host) {
		if (host == null) {
			return false;
		}
		String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
		return h.equalsIgnoreCase("localhost") || h.toLowerCase(java.util.Locale.ROOT).endsWith(".localhost")
				|| h.startsWith("127.") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
	}

	private static String pathSegment(String s) {
		return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
	}

	/** The jar's version: the Implementation-Version of its manifest, else "dev" (classes not in a jar). */
	private static String version() {
		String v = PhosphoHttpExporter.class.getPackage().getImplementationVersion();
		if (v == null) {
			// On the module path the manifest is not read: the module's own version is.
			ModuleDescriptor d = PhosphoHttpExporter.class.getModule().getDescriptor();
			v = d == null ? null : d.rawVersion().orElse(null);
		}
		return v != null ? v : "dev";
	}

	@Override
	public Mono<Void> shutdown() {
		return provider.disposeLater();
	}

	@Override
	public String toString() {
		return "PhosphoHttpExporter{uri=" + logUri + '}';
	}
}

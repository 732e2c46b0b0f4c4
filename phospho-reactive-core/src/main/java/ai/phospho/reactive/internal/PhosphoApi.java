package ai.phospho.reactive.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

import ai.phospho.reactive.Flag;
import ai.phospho.reactive.export.ExportListener;
import ai.phospho.reactive.export.PhosphoExportException;
import ai.phospho.reactive.export.TaskExporter;
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

/**
 * The one client of the phospho API: {@code POST}s over one Reactor Netty {@link HttpClient} and its
 * connection pool, with the retry policy of {@link HttpRetry}, the key redacted from every message
 * and log line, and one rate-limited error line with a hint for a refused request. The HTTP
 * exporter sends {@code /v2/log} through it, {@code PhosphoClient.userFeedback}
 * {@code /v2/tasks/{id}/human-eval}. Internal: not public API.
 */
public final class PhosphoApi {

	private static final Logger LOG = Loggers.getLogger("ai.phospho.reactive.http");
	/** Characters of a server's reply kept in a message, after redaction. */
	public static final int MAX_REPLY_CHARS = 500;
	static final String USER_AGENT = "phospho-reactive/" + version();

	/**
	 * How the client finds the API client of its exporter: set by {@code PhosphoHttpExporter}, whose
	 * package keeps the field to itself. Any exporter instance has initialised its class, so a
	 * {@code PhosphoHttpExporter} is always known here.
	 */
	private static volatile Function<TaskExporter, @Nullable PhosphoApi> ofExporter = e -> null;

	/** Every setting, validated by the exporter's builder. */
	public record Config(String apiKey, String projectId, String baseUrl, Duration connectTimeout,
			Duration responseTimeout, boolean gzip, Duration initialBackoff, Duration maxBackoff,
			Duration maxRetryDuration, int maxConnections, Function<HttpClient, HttpClient> httpClient) {
	}

	private final String key;
	private final KeyRedactor redactor;
	private final String project;
	private final String baseUrl;
	private final boolean gzip;
	private final HttpRetry retry;
	private final long maxRetryNanos;
	private final ConnectionProvider provider;
	private final HttpClient client;
	private final RateLimitedWarning errorLine = new RateLimitedWarning();

	private PhosphoApi(Config c) {
		this.key = c.apiKey();
		this.redactor = new KeyRedactor(key);
		this.project = c.projectId();
		String base = c.baseUrl();
		while (base.endsWith("/")) {
			base = base.substring(0, base.length() - 1);
		}
		this.baseUrl = base;
		this.gzip = c.gzip();
		this.retry = new HttpRetry(c.initialBackoff(), c.maxBackoff());
		this.maxRetryNanos = c.maxRetryDuration().toNanos();
		this.provider = ConnectionProvider.builder("phospho")
				.maxConnections(c.maxConnections())
				.maxIdleTime(Duration.ofSeconds(30))
				.build();
		String authorization = "Bearer " + key;
		HttpClient h = HttpClient.create(provider)
				.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, c.connectTimeout().toMillis()))
				.responseTimeout(c.responseTimeout())
				// Our own retry policy counts and paces every attempt; Reactor Netty's silent resend is off.
				.disableRetry(true)
				.headers(hs -> hs.set(HttpHeaderNames.AUTHORIZATION, authorization)
						.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
						.set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON)
						.set(HttpHeaderNames.USER_AGENT, USER_AGENT));
		if (gzip) {
			h = h.headers(hs -> hs.set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP));
		}
		// The user's customiser comes last, as reactor-netty's own configurers do: a proxy, SSL, metrics.
		this.client = Objects.requireNonNull(c.httpClient().apply(h), "the httpClient customiser returned null");
		warnIfUnencrypted(base);
	}

	/**
	 * Loads, on the calling thread, what the first request would otherwise load where it is subscribed
	 * to. {@link ExportCalls} calls it where the client is made (the pipeline's exporter is then called
	 * without a thread hop, on the export worker or an event loop); an API client made for
	 * {@code userFeedback} at its first call is not warmed up there, on the caller's thread.
	 * That is reactor-netty's {@code warmup()} (the event loops and their native transport library, the
	 * DNS resolver) and, for an https URL, its default TLS set-up, whose class initialiser probes
	 * HTTP/3 (extracting and loading the QUIC native library) and builds the default
	 * {@code SslContext} (the JDK's trust store): over 1,300 blocking file reads and writes, about
	 * 300 ms on a busy machine. {@code warmup()} runs where it is subscribed to; {@code secure()} on a
	 * client without a pool touches the TLS class and nothing else, its result unused: this client's
	 * configuration is not changed.
	 */
	void warmUp() {
		try {
			client.warmup().subscribe(null, e -> warmUpFailed(e));
			if (isHttps(baseUrl)) {
				HttpClient.newConnection().secure();
			}
		}
		catch (RuntimeException | LinkageError e) {
			warmUpFailed(e);
		}
	}

	/** The first request then meets it, as it would have. */
	private static void warmUpFailed(Throwable e) {
		Reports.debug(LOG, "phospho: the HTTP client could not be loaded ahead of its first request: {}",
				Failures.describe(e));
	}

	private static boolean isHttps(String base) {
		return base.regionMatches(true, 0, "https:", 0, "https:".length());
	}

	/** A client of the API with its own connection pool; {@link #shutdown()} releases it. */
	public static PhosphoApi create(Config config) {
		return new PhosphoApi(Objects.requireNonNull(config, "config"));
	}

	/** Called once by {@code PhosphoHttpExporter}: how to find the API client of one of its exporters. */
	public static void ofExporter(Function<TaskExporter, @Nullable PhosphoApi> lookup) {
		ofExporter = Objects.requireNonNull(lookup, "lookup");
	}

	/** The API client of {@code exporter} when it is the HTTP exporter, else {@code null}. */
	public static @Nullable PhosphoApi of(TaskExporter exporter) {
		return ofExporter.apply(exporter);
	}

	/** {@code {baseUrl}/v2/log/{projectId}}, the project as one path segment. */
	public String logUri() {
		return baseUrl + "/v2/log/" + pathSegment(project);
	}

	public KeyRedactor redactor() {
		return redactor;
	}

	/**
	 * Posts {@code body} (gzipped when configured) to {@code uri}, retrying transient failures as
	 * {@link HttpRetry} says for up to {@code maxRetryDuration}, telling {@code listener} of each retry.
	 *
	 * @return the body of the 2xx reply; or an error: a {@link PhosphoExportException} with the status
	 *         of a refusal, or with status 0 when the retries are spent; never the key in a message
	 */
	public Mono<byte[]> post(String uri, Function<ByteBufAllocator, ByteBuf> body, ExportListener listener) {
		Mono<byte[]> attempt = client.post()
				.uri(uri)
				.send((request, out) -> out.send(Mono.fromSupplier(() -> {
					ByteBuf plain = body.apply(out.alloc());
					return gzip ? gzip(out.alloc(), plain) : plain;
				})))
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
		return Mono.defer(() -> {
			long start = System.nanoTime();
			return attempt.retryWhen(Retry.from(signals -> signals.concatMap(signal -> {
				Throwable e = signal.failure();
				if (!HttpRetry.isTransient(e)) {
					return Mono.error(e);
				}
				long n = signal.totalRetries() + 1;
				Duration delay = retry.delay(n, e instanceof HttpRetry.StatusException s ? s.retryAfter() : null);
				long elapsed = System.nanoTime() - start;
				if (elapsed + delay.toNanos() > maxRetryNanos) {
					return Mono.error(new HttpRetry.StatusException("phospho API not reached after " + n + " attempts in "
							+ Duration.ofNanos(elapsed).toMillis() + " ms (maxRetryDuration): "
							+ redactor.redact(Failures.describe(e)), e));
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

	/**
	 * Posts {@code {"human_eval": ..., "project_id": ..., "source": "user", "notes": ...}} to
	 * {@code {baseUrl}/v2/tasks/{taskId}/human-eval}, with the retry rules of {@link #post}.
	 */
	public Mono<Void> userFeedback(String taskId, Flag flag, @Nullable String notes) {
		Map<String, @Nullable Object> body = new LinkedHashMap<>();
		body.put("human_eval", EventWriter.flagValue(flag));
		body.put("project_id", project);
		body.put("source", "user");
		body.put("notes", notes);
		byte[] json = Json.mapper().writeValueAsBytes(body);
		String uri = baseUrl + "/v2/tasks/" + pathSegment(taskId) + "/human-eval";
		return post(uri, alloc -> alloc.buffer(json.length).writeBytes(json), ExportListener.NONE)
				.onErrorMap(e -> refused(e, uri, "the feedback on " + taskId + " was dropped"))
				.then();
	}

	/**
	 * Logs the one error line of a refused request, at most once per warning interval, with what to
	 * check; returns {@code e} to signal.
	 */
	public Throwable refused(Throwable e, String uri, String consequence) {
		if (!(e instanceof HttpRetry.StatusException s) || s.status() == 0) {
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
		return h.equalsIgnoreCase("localhost") || h.toLowerCase(Locale.ROOT).endsWith(".localhost")
				|| h.startsWith("127.") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
	}

	private static String pathSegment(String s) {
		return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
	}

	/** The jar's version (its manifest's {@code Implementation-Version}, or the module's version on the module path), else "dev". */
	private static String version() {
		String v = PhosphoApi.class.getPackage().getImplementationVersion();
		if (v == null) {
			// On the module path the manifest is not read: the module's own version is.
			ModuleDescriptor d = PhosphoApi.class.getModule().getDescriptor();
			v = d == null ? null : d.rawVersion().orElse(null);
		}
		return v != null ? v : "dev";
	}

	/** Closes the connections of the pool. */
	public Mono<Void> shutdown() {
		return provider.disposeLater();
	}

	@Override
	public String toString() {
		return "PhosphoApi{baseUrl=" + baseUrl + ", project=" + project + '}';
	}
}

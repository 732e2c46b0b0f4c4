package ai.phospho.reactive.export;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.PhosphoOptionsException;
import ai.phospho.reactive.internal.OptionChecks;
import ai.phospho.reactive.internal.PhosphoApi;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;

import static ai.phospho.reactive.export.PhosphoHttpExporter.*;

/**
 * Builds a {@link PhosphoHttpExporter}; {@link #build()} validates and names the bad setting and
 * value with a {@link PhosphoOptionsException}, never showing the key.
 *
 * <pre>{@code
 * PhosphoHttpExporter exporter = PhosphoHttpExporter.builder()
 *     .apiKey(System.getenv("PHOSPHO_API_KEY"))
 *     .projectId("my-project")
 *     .responseTimeout(Duration.ofSeconds(10))
 *     .httpClient(client -> client.proxyWithSystemProperties())
 *     .build();
 * }</pre>
 */
public final class PhosphoHttpExporterBuilder {

	private @Nullable String apiKey;
	private @Nullable String projectId;
	private String baseUrl = PhosphoOptions.DEFAULT_BASE_URL;
	private Duration connectTimeout = Duration.ofSeconds(DEFAULT_CONNECT_TIMEOUT_SECONDS);
	private Duration responseTimeout = Duration.ofSeconds(DEFAULT_RESPONSE_TIMEOUT_SECONDS);
	private boolean gzip;
	private Duration initialBackoff = Duration.ofMillis(DEFAULT_INITIAL_BACKOFF_MILLIS);
	private Duration maxBackoff = Duration.ofSeconds(DEFAULT_MAX_BACKOFF_SECONDS);
	private Duration maxRetryDuration = Duration.ofMinutes(DEFAULT_MAX_RETRY_MINUTES);
	private int maxConnections = DEFAULT_MAX_CONNECTIONS;
	private Function<HttpClient, HttpClient> httpClient = Function.identity();

	PhosphoHttpExporterBuilder() {
	}

	PhosphoHttpExporterBuilder(PhosphoApi.Config c) {
		apiKey = c.apiKey();
		projectId = c.projectId();
		baseUrl = c.baseUrl();
		connectTimeout = c.connectTimeout();
		responseTimeout = c.responseTimeout();
		gzip = c.gzip();
		initialBackoff = c.initialBackoff();
		maxBackoff = c.maxBackoff();
		maxRetryDuration = c.maxRetryDuration();
		maxConnections = c.maxConnections();
		httpClient = c.httpClient();
	}

	/** The phospho API key (printable ASCII, no spaces); required. Never logged nor shown. */
	public PhosphoHttpExporterBuilder apiKey(String apiKey) {
		this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
		return this;
	}

	/** The phospho project that receives the tasks; required. */
	public PhosphoHttpExporterBuilder projectId(String projectId) {
		this.projectId = Objects.requireNonNull(projectId, "projectId");
		return this;
	}

	/**
	 * The API's base URL, {@code http} or {@code https}, with a host and maybe a path, but no query,
	 * fragment or user info. Default {@value PhosphoOptions#DEFAULT_BASE_URL}.
	 */
	public PhosphoHttpExporterBuilder baseUrl(String baseUrl) {
		this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
		return this;
	}

	/**
	 * How long opening a connection may take, up to {@value PhosphoHttpExporter#LIMIT_CONNECT_TIMEOUT_SECONDS} s.
	 * Default {@value PhosphoHttpExporter#DEFAULT_CONNECT_TIMEOUT_SECONDS} s.
	 */
	public PhosphoHttpExporterBuilder connectTimeout(Duration connectTimeout) {
		this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
		return this;
	}

	/**
	 * How long the API's reply may take, up to {@value PhosphoHttpExporter#LIMIT_RESPONSE_TIMEOUT_SECONDS} s;
	 * then the attempt is retried. Default {@value PhosphoHttpExporter#DEFAULT_RESPONSE_TIMEOUT_SECONDS} s.
	 */
	public PhosphoHttpExporterBuilder responseTimeout(Duration responseTimeout) {
		this.responseTimeout = Objects.requireNonNull(responseTimeout, "responseTimeout");
		return this;
	}

	/**
	 * Whether to gzip request bodies ({@code Content-Encoding: gzip}). Default {@code false}: the
	 * phospho API does not promise to accept compressed bodies; use it with a server that does.
	 */
	public PhosphoHttpExporterBuilder gzip(boolean gzip) {
		this.gzip = gzip;
		return this;
	}

	/**
	 * The backoff ceiling of the first retry; attempt {@code n} waits a random time between 0 and
	 * {@code min(maxBackoff, initialBackoff * 2^(n-1))} (full jitter). Default
	 * {@value PhosphoHttpExporter#DEFAULT_INITIAL_BACKOFF_MILLIS} ms.
	 */
	public PhosphoHttpExporterBuilder initialBackoff(Duration initialBackoff) {
		this.initialBackoff = Objects.requireNonNull(initialBackoff, "initialBackoff");
		return this;
	}

	/**
	 * The largest backoff ceiling, at least {@code initialBackoff} and up to
	 * {@value PhosphoHttpExporter#LIMIT_BACKOFF_SECONDS} s. Default
	 * {@value PhosphoHttpExporter#DEFAULT_MAX_BACKOFF_SECONDS} s.
	 */
	public PhosphoHttpExporterBuilder maxBackoff(Duration maxBackoff) {
		this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
		return this;
	}

	/**
	 * How long a batch is retried after its first attempt before it is dropped and counted as
	 * failed, up to {@value PhosphoHttpExporter#LIMIT_RETRY_HOURS} h. Default
	 * {@value PhosphoHttpExporter#DEFAULT_MAX_RETRY_MINUTES} min.
	 */
	public PhosphoHttpExporterBuilder maxRetryDuration(Duration maxRetryDuration) {
		this.maxRetryDuration = Objects.requireNonNull(maxRetryDuration, "maxRetryDuration");
		return this;
	}

	/**
	 * Connections of the exporter's pool at most; more requests wait for one. Default
	 * {@value PhosphoHttpExporter#DEFAULT_MAX_CONNECTIONS}; the client's default exporter has twice
	 * its {@code maxConcurrentExports}.
	 */
	public PhosphoHttpExporterBuilder maxConnections(int maxConnections) {
		this.maxConnections = maxConnections;
		return this;
	}

	/**
	 * Customises the Reactor Netty {@link HttpClient} after the exporter has configured it (pool,
	 * timeouts, headers), as {@code HttpClient}'s own configurers do: a proxy, SSL, metrics, a
	 * wiretap. It runs once, at {@link #build()}; what it overrides of the exporter's settings is its
	 * choice. Calls compose, in order. Default: none.
	 */
	public PhosphoHttpExporterBuilder httpClient(Function<HttpClient, HttpClient> customizer) {
		Objects.requireNonNull(customizer, "customizer");
		this.httpClient = this.httpClient.andThen(customizer);
		return this;
	}

	/**
	 * Validates and builds an exporter with its own connection pool, released by its
	 * {@code shutdown()}.
	 *
	 * @throws PhosphoOptionsException naming the setting and its bad value (never the key)
	 */
	public PhosphoHttpExporter build() {
		String key = apiKey;
		String project = projectId;
		if (key == null) {
			throw new PhosphoOptionsException("apiKey", "must be set for the phospho API (PHOSPHO_API_KEY), was null");
		}
		OptionChecks.apiKey(key);
		if (project == null) {
			throw new PhosphoOptionsException("projectId",
					"must be set for the phospho API (PHOSPHO_PROJECT_ID), was null");
		}
		OptionChecks.notBlank("projectId", project);
		OptionChecks.baseUrl(baseUrl, key);
		OptionChecks.strictlyPositive("connectTimeout", connectTimeout);
		OptionChecks.atMost("connectTimeout", connectTimeout, Duration.ofSeconds(LIMIT_CONNECT_TIMEOUT_SECONDS));
		OptionChecks.strictlyPositive("responseTimeout", responseTimeout);
		OptionChecks.atMost("responseTimeout", responseTimeout, Duration.ofSeconds(LIMIT_RESPONSE_TIMEOUT_SECONDS));
		OptionChecks.strictlyPositive("initialBackoff", initialBackoff);
		if (maxBackoff.compareTo(initialBackoff) < 0) {
			throw new PhosphoOptionsException("maxBackoff",
					"must be at least initialBackoff (" + initialBackoff + "), was " + maxBackoff, "initialBackoff");
		}
		OptionChecks.atMost("maxBackoff", maxBackoff, Duration.ofSeconds(LIMIT_BACKOFF_SECONDS));
		OptionChecks.nonNegative("maxRetryDuration", maxRetryDuration);
		OptionChecks.atMost("maxRetryDuration", maxRetryDuration, Duration.ofHours(LIMIT_RETRY_HOURS));
		OptionChecks.strictlyPositive("maxConnections", maxConnections);
		return new PhosphoHttpExporter(new PhosphoApi.Config(key, project, baseUrl, connectTimeout, responseTimeout,
				gzip, initialBackoff, maxBackoff, maxRetryDuration, maxConnections, httpClient));
	}
}

package ai.phospho.reactive.spring;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.PhosphoOptionsBuilder;
import ai.phospho.reactive.PhosphoOptionsException;
import ai.phospho.reactive.export.PhosphoHttpExporter;
import ai.phospho.reactive.export.PhosphoHttpExporterBuilder;
import ai.phospho.reactive.export.TaskExporter;
import ai.phospho.reactive.export.TaskListener;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * The {@code phospho.*} properties, turned into {@link PhosphoOptions} by the auto-configuration.
 *
 * <pre>
 * phospho.api-key=${PHOSPHO_API_KEY:}
 * phospho.project-id=my-project
 * phospho.max-queue-size=10000
 * phospho.linger-delay=200ms
 * phospho.http.response-timeout=10s
 * phospho.json-lines.path=logs/tasks.jsonl
 * </pre>
 *
 * <p>Relaxed binding also reads the environment variables {@code PHOSPHO_API_KEY},
 * {@code PHOSPHO_PROJECT_ID} and {@code PHOSPHO_BASE_URL}. A blank key or project id counts as
 * absent, as for the environment in {@link PhosphoOptions#fromEnvironment()}. Invalid values fail
 * the start-up with an {@link InvalidConfigurationPropertyValueException} that names the
 * {@code phospho.*} property, its value (never the key's) and the reason.
 */
@ConfigurationProperties("phospho")
public class PhosphoProperties {

	/** The property of each option of the builders, by the name a {@link PhosphoOptionsException} gives. */
	private static final Map<String, String> PROPERTIES = Map.ofEntries(Map.entry("apiKey", "phospho.api-key"),
			Map.entry("projectId", "phospho.project-id"), Map.entry("baseUrl", "phospho.base-url"),
			Map.entry("versionId", "phospho.version-id"), Map.entry("environment", "phospho.environment"),
			Map.entry("maxQueueSize", "phospho.max-queue-size"), Map.entry("maxBatchSize", "phospho.max-batch-size"),
			Map.entry("maxBatchBytes", "phospho.max-batch-bytes"), Map.entry("lingerDelay", "phospho.linger-delay"),
			Map.entry("maxFieldChars", "phospho.max-field-chars"),
			Map.entry("maxConcurrentExports", "phospho.max-concurrent-exports"),
			Map.entry("shutdownTimeout", "phospho.shutdown-timeout"),
			Map.entry("exportTimeout", "phospho.export-timeout"),
			Map.entry("overflowPolicy", "phospho.overflow-policy"),
			Map.entry("jsonLinesPath", "phospho.json-lines.path"),
			Map.entry("connectTimeout", "phospho.http.connect-timeout"),
			Map.entry("responseTimeout", "phospho.http.response-timeout"), Map.entry("gzip", "phospho.http.gzip"),
			Map.entry("initialBackoff", "phospho.http.initial-backoff"),
			Map.entry("maxBackoff", "phospho.http.max-backoff"),
			Map.entry("maxRetryDuration", "phospho.http.max-retry-duration"),
			Map.entry("maxConnections", "phospho.http.max-connections"),
			Map.entry("spoolMaxBytes", "phospho.spool.max-bytes"));

	/** Whether to create the phospho client and log tasks. */
	private boolean enabled = true;

	/**
	 * The phospho API key. Without one, tasks are written to the JSON Lines file json-lines.path.
	 * Hidden in the actuator's env and configprops endpoints.
	 */
	private @Nullable String apiKey;

	/** The phospho project that receives the tasks; required with an API key. */
	private @Nullable String projectId;

	/** The phospho API's base URL, http or https, without query, fragment or user info. */
	private String baseUrl = PhosphoOptions.DEFAULT_BASE_URL;

	/** The version of the application sent with every task. Default: one generated id per process. */
	private @Nullable String versionId;

	/** The environment sent with every task. */
	private String environment = PhosphoOptions.DEFAULT_ENVIRONMENT;

	/** Tasks held at most, queued or being exported; more are dropped and counted. */
	private int maxQueueSize = PhosphoOptions.DEFAULT_MAX_QUEUE_SIZE;

	/** Tasks in one exported batch at most. */
	private int maxBatchSize = PhosphoOptions.DEFAULT_MAX_BATCH_SIZE;

	/** JSON bytes in one exported batch at most; from 1KB to 1GB. A plain number means bytes. */
	@DataSizeUnit(DataUnit.BYTES)
	private DataSize maxBatchBytes = DataSize.ofBytes(PhosphoOptions.DEFAULT_MAX_BATCH_BYTES);

	/** How long a task waits at most for its batch to fill; up to 24h. A plain number means milliseconds. */
	@DurationUnit(ChronoUnit.MILLIS)
	private Duration lingerDelay = Duration.ofMillis(PhosphoOptions.DEFAULT_LINGER_MILLIS);

	/** Characters of input or output kept at most; longer text is cut and flagged truncated. */
	private int maxFieldChars = PhosphoOptions.DEFAULT_MAX_FIELD_CHARS;

	/** Batches being exported at once at most. */
	private int maxConcurrentExports = PhosphoOptions.DEFAULT_MAX_CONCURRENT_EXPORTS;

	/**
	 * How long the flush at shutdown waits at most for the queue to drain; up to 24h. A plain number
	 * means seconds.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration shutdownTimeout = Duration.ofSeconds(PhosphoOptions.DEFAULT_SHUTDOWN_TIMEOUT_SECONDS);
	/** How long one export may take before it is cancelled and counted as failed. */
	private Duration exportTimeout = Duration.ofMinutes(PhosphoOptions.DEFAULT_EXPORT_TIMEOUT_MINUTES);

	/** What happens to a task logged when the queue is full: drop-newest or drop-oldest. */
	private PhosphoOptions.OverflowPolicy overflowPolicy = PhosphoOptions.OverflowPolicy.DROP_NEWEST;

	/** The exporter to the phospho API, used with an API key. */
	private final Http http = new Http();

	/** The JSON Lines exporter, used without an API key. */
	private final JsonLines jsonLines = new JsonLines();

	/** The disk spool: {@code phospho.spool.dir}, {@code phospho.spool.max-bytes}. */
	private final Spool spool = new Spool();

	/**
	 * The options for these properties, with {@code shutdownHook(false)}: the application context
	 * flushes at shutdown, not a JVM hook.
	 *
	 * @param exporter the application's exporter, or {@code null} for the default one
	 * @throws InvalidConfigurationPropertyValueException naming the {@code phospho.*} property
	 */
	PhosphoOptions toOptions(@Nullable TaskExporter exporter) {
		return toOptions(exporter, List.of());
	}

	/** As {@link #toOptions(TaskExporter)}, every listener added. */
	PhosphoOptions toOptions(@Nullable TaskExporter exporter, List<TaskListener> listeners) {
		try {
			PhosphoOptions options = options(exporter);
			if (listeners.isEmpty()) {
				return options;
			}
			PhosphoOptionsBuilder b = options.toBuilder();
			listeners.forEach(b::addTaskListener);
			return b.build();
		}
		catch (PhosphoOptionsException e) {
			throw invalid(e);
		}
	}

	/**
	 * A client with {@link #toOptions}; the HTTP exporter's settings are validated here, when the
	 * client creates it.
	 *
	 * @throws InvalidConfigurationPropertyValueException naming the {@code phospho.*} property
	 */
	PhosphoClient createClient(PhosphoOptions options) {
		try {
			return PhosphoClient.create(options);
		}
		catch (PhosphoOptionsException e) {
			throw invalid(e);
		}
	}

	private PhosphoOptions options(@Nullable TaskExporter exporter) {
		PhosphoOptionsBuilder b = PhosphoOptions.builder()
				.apiKey(nonBlank(apiKey))
				.projectId(nonBlank(projectId))
				.baseUrl(baseUrl)
				.environment(environment)
				.exporter(exporter)
				.maxQueueSize(maxQueueSize)
				.maxBatchSize(maxBatchSize)
				.maxBatchBytes(maxBatchBytes.toBytes())
				.lingerDelay(lingerDelay)
				.maxFieldChars(maxFieldChars)
				.maxConcurrentExports(maxConcurrentExports)
				.shutdownTimeout(shutdownTimeout)
				.exportTimeout(exportTimeout)
				.overflowPolicy(overflowPolicy)
				.jsonLinesPath(jsonLines.path)
				.httpExporter(http::customize)
				.shutdownHook(false);
		if (versionId != null) {
			b.versionId(versionId);
		}
		Path spoolDir = spool.getDir();
		if (spoolDir != null) {
			b.spool(spoolDir);
		}
		b.spoolMaxBytes(spool.getMaxBytes().toBytes());
		return b.build();
	}

	/** The builder's refusal in terms of properties: the option's, and those its reason names. */
	private InvalidConfigurationPropertyValueException invalid(PhosphoOptionsException e) {
		String property = PROPERTIES.get(e.option());
		if (property == null) {
			return new InvalidConfigurationPropertyValueException("phospho", null, e.getMessage());
		}
		String reason = e.reason();
		for (String related : e.related()) {
			reason = reason.replace(related, PROPERTIES.getOrDefault(related, related));
		}
		return new InvalidConfigurationPropertyValueException(property, values().get(e.option()), reason);
	}

	/** Every value by field name, the key masked: what an error message may show. */
	private Map<String, @Nullable Object> values() {
		Map<String, @Nullable Object> v = new LinkedHashMap<>();
		v.put("apiKey", apiKey == null ? null : "******");
		v.put("projectId", projectId);
		// A password in the URL's user info is masked as the core's message masks it.
		v.put("baseUrl", baseUrl.replaceAll("//[^/?#@]*@", "//***@"));
		v.put("versionId", versionId);
		v.put("environment", environment);
		v.put("maxQueueSize", maxQueueSize);
		v.put("maxBatchSize", maxBatchSize);
		v.put("maxBatchBytes", maxBatchBytes);
		v.put("lingerDelay", lingerDelay);
		v.put("maxFieldChars", maxFieldChars);
		v.put("maxConcurrentExports", maxConcurrentExports);
		v.put("shutdownTimeout", shutdownTimeout);
		v.put("exportTimeout", exportTimeout);
		v.put("overflowPolicy", overflowPolicy);
		v.put("jsonLinesPath", jsonLines.path);
		v.put("connectTimeout", http.connectTimeout);
		v.put("responseTimeout", http.responseTimeout);
		v.put("gzip", http.gzip);
		v.put("initialBackoff", http.initialBackoff);
		v.put("maxBackoff", http.maxBackoff);
		v.put("maxRetryDuration", http.maxRetryDuration);
		v.put("maxConnections", http.maxConnections);
		v.put("spoolMaxBytes", spool.getMaxBytes());
		return v;
	}

	private static @Nullable String nonBlank(@Nullable String s) {
		return s == null || s.isBlank() ? null : s.trim();
	}

	public boolean isEnabled() {
		return enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getApiKey() {
		return apiKey;
	}

	public void setApiKey(@Nullable String apiKey) {
		this.apiKey = apiKey;
	}

	public @Nullable String getProjectId() {
		return projectId;
	}

	public void setProjectId(@Nullable String projectId) {
		this.projectId = projectId;
	}

	public String getBaseUrl() {
		return baseUrl;
	}

	public void setBaseUrl(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	public @Nullable String getVersionId() {
		return versionId;
	}

	public void setVersionId(@Nullable String versionId) {
		this.versionId = versionId;
	}

	public String getEnvironment() {
		return environment;
	}

	public void setEnvironment(String environment) {
		this.environment = environment;
	}

	public int getMaxQueueSize() {
		return maxQueueSize;
	}

	public void setMaxQueueSize(int maxQueueSize) {
		this.maxQueueSize = maxQueueSize;
	}

	public int getMaxBatchSize() {
		return maxBatchSize;
	}

	public void setMaxBatchSize(int maxBatchSize) {
		this.maxBatchSize = maxBatchSize;
	}

	public DataSize getMaxBatchBytes() {
		return maxBatchBytes;
	}

	public void setMaxBatchBytes(DataSize maxBatchBytes) {
		this.maxBatchBytes = maxBatchBytes;
	}

	public Duration getLingerDelay() {
		return lingerDelay;
	}

	public void setLingerDelay(Duration lingerDelay) {
		this.lingerDelay = lingerDelay;
	}

	public int getMaxFieldChars() {
		return maxFieldChars;
	}

	public void setMaxFieldChars(int maxFieldChars) {
		this.maxFieldChars = maxFieldChars;
	}

	public int getMaxConcurrentExports() {
		return maxConcurrentExports;
	}

	public void setMaxConcurrentExports(int maxConcurrentExports) {
		this.maxConcurrentExports = maxConcurrentExports;
	}

	public Duration getShutdownTimeout() {
		return shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Spool getSpool() {
		return spool;
	}

	/** The disk spool's properties. */
	public static class Spool {

		/**
		 * The directory of the disk spool, which keeps every task until the exporter has it, so that
		 * a crash, a restart or an outage loses nothing; one application instance per directory.
		 * Default: none, tasks are held in memory only.
		 */
		private @Nullable Path dir;

		/** Bytes the spool may hold, at least 1MB; past it the oldest tasks are dropped and counted. A plain number is bytes. */
		private DataSize maxBytes = DataSize.ofBytes(PhosphoOptions.DEFAULT_SPOOL_MAX_BYTES);

		public @Nullable Path getDir() {
			return dir;
		}

		public void setDir(@Nullable Path dir) {
			this.dir = dir;
		}

		public DataSize getMaxBytes() {
			return maxBytes;
		}

		public void setMaxBytes(DataSize maxBytes) {
			this.maxBytes = maxBytes;
		}
	}

	public Duration getExportTimeout() {
		return exportTimeout;
	}

	public void setExportTimeout(Duration exportTimeout) {
		this.exportTimeout = exportTimeout;
	}

	public PhosphoOptions.OverflowPolicy getOverflowPolicy() {
		return overflowPolicy;
	}

	public void setOverflowPolicy(PhosphoOptions.OverflowPolicy overflowPolicy) {
		this.overflowPolicy = overflowPolicy;
	}

	public Http getHttp() {
		return http;
	}

	public JsonLines getJsonLines() {
		return jsonLines;
	}

	/** The {@code phospho.http.*} properties: the settings of the exporter to the phospho API. */
	public static class Http {

		/** How long opening a connection may take; up to 5m. A plain number means seconds. */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration connectTimeout = Duration.ofSeconds(PhosphoHttpExporter.DEFAULT_CONNECT_TIMEOUT_SECONDS);

		/** How long the API's reply may take before the attempt is retried; up to 10m. A plain number means seconds. */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration responseTimeout = Duration.ofSeconds(PhosphoHttpExporter.DEFAULT_RESPONSE_TIMEOUT_SECONDS);

		/** Whether request bodies are gzip-compressed; only for a server known to accept them. */
		private boolean gzip;

		/** The backoff ceiling of the first retry; it doubles per attempt (full jitter). A plain number means milliseconds. */
		@DurationUnit(ChronoUnit.MILLIS)
		private Duration initialBackoff = Duration.ofMillis(PhosphoHttpExporter.DEFAULT_INITIAL_BACKOFF_MILLIS);

		/** The largest backoff ceiling; at least initial-backoff, up to 1h. A plain number means seconds. */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration maxBackoff = Duration.ofSeconds(PhosphoHttpExporter.DEFAULT_MAX_BACKOFF_SECONDS);

		/** How long a batch is retried before it is dropped and counted; up to 7d. A plain number means minutes. */
		@DurationUnit(ChronoUnit.MINUTES)
		private Duration maxRetryDuration = Duration.ofMinutes(PhosphoHttpExporter.DEFAULT_MAX_RETRY_MINUTES);

		/** Connections to the API at most. Default: twice max-concurrent-exports. */
		private @Nullable Integer maxConnections;

		PhosphoHttpExporterBuilder customize(PhosphoHttpExporterBuilder b) {
			b.connectTimeout(connectTimeout).responseTimeout(responseTimeout).gzip(gzip).initialBackoff(initialBackoff)
					.maxBackoff(maxBackoff).maxRetryDuration(maxRetryDuration);
			return maxConnections == null ? b : b.maxConnections(maxConnections);
		}

		public Duration getConnectTimeout() {
			return connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getResponseTimeout() {
			return responseTimeout;
		}

		public void setResponseTimeout(Duration responseTimeout) {
			this.responseTimeout = responseTimeout;
		}

		public boolean isGzip() {
			return gzip;
		}

		public void setGzip(boolean gzip) {
			this.gzip = gzip;
		}

		public Duration getInitialBackoff() {
			return initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxBackoff() {
			return maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

		public Duration getMaxRetryDuration() {
			return maxRetryDuration;
		}

		public void setMaxRetryDuration(Duration maxRetryDuration) {
			this.maxRetryDuration = maxRetryDuration;
		}

		public @Nullable Integer getMaxConnections() {
			return maxConnections;
		}

		public void setMaxConnections(@Nullable Integer maxConnections) {
			this.maxConnections = maxConnections;
		}
	}

	/** The {@code phospho.json-lines.*} properties: the exporter used without an API key. */
	public static class JsonLines {

		/** The file the tasks are appended to, one JSON event per line. */
		private Path path = Path.of(PhosphoOptions.DEFAULT_JSON_LINES_FILE);

		public Path getPath() {
			return path;
		}

		public void setPath(Path path) {
			this.path = path;
		}
	}
}

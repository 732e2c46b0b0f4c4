package ai.phospho.reactive.spring;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.export.TaskExporter;
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

	/** Field names of PhosphoOptions.Builder, as its messages spell them. */
	private static final Pattern FIELD = Pattern.compile("\\b(apiKey|projectId|baseUrl|versionId|environment"
			+ "|maxQueueSize|maxBatchSize|maxBatchBytes|lingerDelay|maxFieldChars|maxConcurrentExports"
			+ "|shutdownTimeout|jsonLinesPath|spoolMaxBytes)\\b");

	/** Whether to create the phospho client and log tasks. */
	private boolean enabled = true;

	/**
	 * The phospho API key. Without one, tasks are written to the JSON Lines file json-lines-path.
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

	/** The file of the embedded JSON Lines exporter, used when no API key is set. */
	private Path jsonLinesPath = Path.of(PhosphoOptions.DEFAULT_JSON_LINES_FILE);

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
		PhosphoOptions.Builder b = PhosphoOptions.builder()
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
				.jsonLinesPath(jsonLinesPath)
				.shutdownHook(false);
		if (versionId != null) {
			b.versionId(versionId);
		}
		Path spoolDir = spool.getDir();
		if (spoolDir != null) {
			b.spool(spoolDir);
		}
		b.spoolMaxBytes(spool.getMaxBytes().toBytes());
		try {
			return b.build();
		}
		catch (IllegalArgumentException e) {
			throw invalid(e);
		}
	}

	/** Rewrites the builder's message, which starts with the field name, in terms of properties. */
	private InvalidConfigurationPropertyValueException invalid(IllegalArgumentException e) {
		String message = String.valueOf(e.getMessage());
		Matcher first = FIELD.matcher(message);
		if (!first.lookingAt()) {
			return new InvalidConfigurationPropertyValueException("phospho", null, message);
		}
		String field = first.group(1);
		String reason = message.substring(first.end()).trim();
		// Name the other properties the reason mentions (e.g. "when apiKey is set") too.
		reason = FIELD.matcher(reason).replaceAll(m -> propertyName(m.group(1)));
		return new InvalidConfigurationPropertyValueException(propertyName(field), displayValue(field), reason);
	}

	static String propertyName(String field) {
		if (field.equals("spoolMaxBytes")) {
			return "phospho.spool.max-bytes";
		}
		return "phospho." + field.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
	}

	private @Nullable Object displayValue(String field) {
		return values().get(field);
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
		v.put("jsonLinesPath", jsonLinesPath);
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

	public Path getJsonLinesPath() {
		return jsonLinesPath;
	}

	public void setJsonLinesPath(Path jsonLinesPath) {
		this.jsonLinesPath = jsonLinesPath;
	}
}

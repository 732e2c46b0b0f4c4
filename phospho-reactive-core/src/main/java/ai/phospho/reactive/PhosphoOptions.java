package ai.phospho.reactive;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import ai.phospho.reactive.export.TaskExporter;
import ai.phospho.reactive.internal.Ids;
import org.jspecify.annotations.Nullable;

/**
 * Immutable configuration of a {@link PhosphoClient}.
 *
 * <pre>{@code
 * PhosphoOptions options = PhosphoOptions.builder()
 *     .apiKey(System.getenv("PHOSPHO_API_KEY"))
 *     .projectId("my-project")
 *     .maxQueueSize(10_000)
 *     .build();
 * }</pre>
 *
 * <p>Without an API key and without an {@link Builder#exporter(TaskExporter) exporter}, tasks go to
 * the JSON Lines file {@link #jsonLinesPath()}. {@link #toString()} never shows the API key.
 */
public final class PhosphoOptions {

	/** The phospho API. */
	public static final String DEFAULT_BASE_URL = "https://api.phospho.ai";
	/** Tasks held at most (queued or being exported); more are dropped and counted. */
	public static final int DEFAULT_MAX_QUEUE_SIZE = 2048;
	/** Tasks in one batch at most. */
	public static final int DEFAULT_MAX_BATCH_SIZE = 512;
	/** JSON bytes in one batch at most: 4 MiB. */
	public static final long DEFAULT_MAX_BATCH_BYTES = 4L * 1024 * 1024;
	/** Milliseconds a task waits at most for its batch to fill: the Python SDK's tick. */
	public static final long DEFAULT_LINGER_MILLIS = 500;
	/** Characters of input or output kept at most; longer text is cut and flagged {@code truncated}. */
	public static final int DEFAULT_MAX_FIELD_CHARS = 1_000_000;
	/** Batches being exported at once at most. */
	public static final int DEFAULT_MAX_CONCURRENT_EXPORTS = 2;
	/** Seconds {@code shutdown()} waits at most for the queue to drain. */
	public static final long DEFAULT_SHUTDOWN_TIMEOUT_SECONDS = 10;
	/**
	 * Minutes one export may take at most, the exporter's own retries included, before it is cancelled
	 * and its batch counted as failed: more than the HTTP exporter's retries take by default.
	 */
	public static final long DEFAULT_EXPORT_TIMEOUT_MINUTES = 15;
	/** The JSON Lines file of the embedded default exporter, in the working directory. */
	public static final String DEFAULT_JSON_LINES_FILE = "phospho-tasks.jsonl";
	/** Bytes the disk spool may hold at most, by default (256 MiB). */
	public static final long DEFAULT_SPOOL_MAX_BYTES = 256L * 1024 * 1024;
	/** Bytes the disk spool may be given at least (1 MiB). */
	public static final long LIMIT_SPOOL_MIN_BYTES = 1L << 20;
	/** The event's {@code environment}, as in the Python SDK. */
	public static final String DEFAULT_ENVIRONMENT = "default environment";
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

	// Upper limits: build() refuses more. They keep every duration far from where toNanos() overflows
	// (292 years, e.g. ChronoUnit.FOREVER) and every value within what the client can use.
	/** Seconds {@code connectTimeout} may be at most: more than any TCP connect attempt lasts. */
	public static final long LIMIT_CONNECT_TIMEOUT_SECONDS = 300;
	/** Seconds {@code responseTimeout} may be at most: beyond, a stalled request would go unnoticed. */
	public static final long LIMIT_RESPONSE_TIMEOUT_SECONDS = 600;
	/** Hours {@code lingerDelay} and {@code shutdownTimeout} may be at most. */
	public static final long LIMIT_WAIT_HOURS = 24;
	/** Hours {@code exportTimeout} may be at most: a week. */
	public static final long LIMIT_EXPORT_TIMEOUT_HOURS = 168;
	/** Seconds {@code initialBackoff} and {@code maxBackoff} may be at most. */
	public static final long LIMIT_BACKOFF_SECONDS = 3600;
	/** Hours {@code maxRetryDuration} may be at most: a week. */
	public static final long LIMIT_RETRY_HOURS = 168;
	/** Bytes {@code maxBatchBytes} may be at most: 1 GiB; a request body is one buffer. */
	public static final long LIMIT_BATCH_BYTES = 1L << 30;

	/** What {@code log} does when {@link #maxQueueSize()} tasks are already held. */
	public enum OverflowPolicy {
		/** The new task is dropped and counted (the default). */
		DROP_NEWEST,
		/**
		 * The oldest task still waiting in the queue is dropped and counted, and the new one queued.
		 * Tasks already in a batch being exported are never dropped: when every held task is in
		 * flight, the new task is dropped as with {@link #DROP_NEWEST}.
		 */
		DROP_OLDEST
	}

	private final @Nullable String apiKey;
	private final @Nullable String projectId;
	private final String baseUrl;
	private final String versionId;
	private final String environment;
	private final @Nullable TaskExporter exporter;
	private final int maxQueueSize;
	private final int maxBatchSize;
	private final long maxBatchBytes;
	private final Duration lingerDelay;
	private final int maxFieldChars;
	private final int maxConcurrentExports;
	private final Duration shutdownTimeout;
	private final Duration exportTimeout;
	private final boolean shutdownHook;
	private final Path jsonLinesPath;
	private final Duration connectTimeout;
	private final Duration responseTimeout;
	private final boolean gzip;
	private final Duration initialBackoff;
	private final Duration maxBackoff;
	private final Duration maxRetryDuration;
	private final OverflowPolicy overflowPolicy;
	private final @Nullable Path spool;
	private final long spoolMaxBytes;

	private PhosphoOptions(Builder b) {
		this.apiKey = b.apiKey;
		this.projectId = b.projectId;
		this.baseUrl = b.baseUrl;
		this.versionId = b.versionId != null ? b.versionId : Ids.processVersionId();
		this.environment = b.environment;
		this.exporter = b.exporter;
		this.maxQueueSize = b.maxQueueSize;
		this.maxBatchSize = b.maxBatchSize;
		this.maxBatchBytes = b.maxBatchBytes;
		this.lingerDelay = b.lingerDelay;
		this.maxFieldChars = b.maxFieldChars;
		this.maxConcurrentExports = b.maxConcurrentExports;
		this.shutdownTimeout = b.shutdownTimeout;
		this.exportTimeout = b.exportTimeout;
		this.shutdownHook = b.shutdownHook;
		this.jsonLinesPath = b.jsonLinesPath;
		this.connectTimeout = b.connectTimeout;
		this.responseTimeout = b.responseTimeout;
		this.gzip = b.gzip;
		this.initialBackoff = b.initialBackoff;
		this.maxBackoff = b.maxBackoff;
		this.maxRetryDuration = b.maxRetryDuration;
		this.overflowPolicy = b.overflowPolicy;
		this.spool = b.spool;
		this.spoolMaxBytes = b.spoolMaxBytes;
	}

	/** A builder with every default and nothing read from the environment. */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * A builder filled from {@code PHOSPHO_API_KEY}, {@code PHOSPHO_PROJECT_ID} and
	 * {@code PHOSPHO_BASE_URL}; blank variables count as absent.
	 */
	public static Builder fromEnvironment() {
		return fromEnvironment(System.getenv());
	}

	static Builder fromEnvironment(Map<String, String> env) {
		Builder b = new Builder();
		String key = nonBlank(env.get("PHOSPHO_API_KEY"));
		String project = nonBlank(env.get("PHOSPHO_PROJECT_ID"));
		String base = nonBlank(env.get("PHOSPHO_BASE_URL"));
		if (key != null) {
			b.apiKey(key);
		}
		if (project != null) {
			b.projectId(project);
		}
		if (base != null) {
			b.baseUrl(base);
		}
		return b;
	}

	/** A builder holding these options, to derive a variant. */
	public Builder toBuilder() {
		Builder b = new Builder();
		b.apiKey = apiKey;
		b.projectId = projectId;
		b.baseUrl = baseUrl;
		b.versionId = versionId;
		b.environment = environment;
		b.exporter = exporter;
		b.maxQueueSize = maxQueueSize;
		b.maxBatchSize = maxBatchSize;
		b.maxBatchBytes = maxBatchBytes;
		b.lingerDelay = lingerDelay;
		b.maxFieldChars = maxFieldChars;
		b.maxConcurrentExports = maxConcurrentExports;
		b.shutdownTimeout = shutdownTimeout;
		b.exportTimeout = exportTimeout;
		b.shutdownHook = shutdownHook;
		b.jsonLinesPath = jsonLinesPath;
		b.connectTimeout = connectTimeout;
		b.responseTimeout = responseTimeout;
		b.gzip = gzip;
		b.initialBackoff = initialBackoff;
		b.maxBackoff = maxBackoff;
		b.maxRetryDuration = maxRetryDuration;
		b.overflowPolicy = overflowPolicy;
		b.spool = spool;
		b.spoolMaxBytes = spoolMaxBytes;
		return b;
	}

	/** The API key, {@code null} when tasks go to another exporter. Never logged. */
	public @Nullable String apiKey() {
		return apiKey;
	}

	public @Nullable String projectId() {
		return projectId;
	}

	public String baseUrl() {
		return baseUrl;
	}

	public String versionId() {
		return versionId;
	}

	public String environment() {
		return environment;
	}

	/** The exporter set with {@link Builder#exporter(TaskExporter)}, {@code null} for the default. */
	public @Nullable TaskExporter exporter() {
		return exporter;
	}

	public int maxQueueSize() {
		return maxQueueSize;
	}

	public int maxBatchSize() {
		return maxBatchSize;
	}

	public long maxBatchBytes() {
		return maxBatchBytes;
	}

	public Duration lingerDelay() {
		return lingerDelay;
	}

	public int maxFieldChars() {
		return maxFieldChars;
	}

	public int maxConcurrentExports() {
		return maxConcurrentExports;
	}

	public Duration shutdownTimeout() {
		return shutdownTimeout;
	}

	public Duration exportTimeout() {
		return exportTimeout;
	}

	public boolean shutdownHook() {
		return shutdownHook;
	}

	public Path jsonLinesPath() {
		return jsonLinesPath;
	}

	public Duration connectTimeout() {
		return connectTimeout;
	}

	public Duration responseTimeout() {
		return responseTimeout;
	}

	/** Whether request bodies to the phospho API are gzip-compressed. */
	public boolean gzip() {
		return gzip;
	}

	public Duration initialBackoff() {
		return initialBackoff;
	}

	public Duration maxBackoff() {
		return maxBackoff;
	}

	public Duration maxRetryDuration() {
		return maxRetryDuration;
	}

	public OverflowPolicy overflowPolicy() {
		return overflowPolicy;
	}

	/** The directory of the disk spool, or {@code null} when tasks are held in memory only (the default). */
	public @Nullable Path spool() {
		return spool;
	}

	public long spoolMaxBytes() {
		return spoolMaxBytes;
	}

	@Override
	public String toString() {
		return "PhosphoOptions{apiKey=" + (apiKey == null ? "none" : "<redacted>")
				+ ", projectId=" + projectId
				+ ", baseUrl=" + baseUrl
				+ ", versionId=" + versionId
				+ ", environment=" + environment
				+ ", exporter=" + (exporter == null ? "default" : exporter.getClass().getName())
				+ ", maxQueueSize=" + maxQueueSize
				+ ", maxBatchSize=" + maxBatchSize
				+ ", maxBatchBytes=" + maxBatchBytes
				+ ", lingerDelay=" + lingerDelay
				+ ", maxFieldChars=" + maxFieldChars
				+ ", maxConcurrentExports=" + maxConcurrentExports
				+ ", shutdownTimeout=" + shutdownTimeout
				+ ", exportTimeout=" + exportTimeout
				+ ", shutdownHook=" + shutdownHook
				+ ", jsonLinesPath=" + jsonLinesPath
				+ ", connectTimeout=" + connectTimeout
				+ ", responseTimeout=" + responseTimeout
				+ ", gzip=" + gzip
				+ ", initialBackoff=" + initialBackoff
				+ ", maxBackoff=" + maxBackoff
				+ ", maxRetryDuration=" + maxRetryDuration
				+ ", overflowPolicy=" + overflowPolicy
				+ ", spool=" + spool
				+ ", spoolMaxBytes=" + spoolMaxBytes
				+ '}';
	}

	private static @Nullable String nonBlank(@Nullable String s) {
		return s == null || s.isBlank() ? null : s.trim();
	}

	/** Builds {@link PhosphoOptions}; {@link #build()} validates and names the bad field and value. */
	public static final class Builder {

		private @Nullable String apiKey;
		private @Nullable String projectId;
		private String baseUrl = DEFAULT_BASE_URL;
		private @Nullable String versionId;
		private String environment = DEFAULT_ENVIRONMENT;
		private @Nullable TaskExporter exporter;
		private int maxQueueSize = DEFAULT_MAX_QUEUE_SIZE;
		private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
		private long maxBatchBytes = DEFAULT_MAX_BATCH_BYTES;
		private Duration lingerDelay = Duration.ofMillis(DEFAULT_LINGER_MILLIS);
		private int maxFieldChars = DEFAULT_MAX_FIELD_CHARS;
		private int maxConcurrentExports = DEFAULT_MAX_CONCURRENT_EXPORTS;
		private Duration shutdownTimeout = Duration.ofSeconds(DEFAULT_SHUTDOWN_TIMEOUT_SECONDS);
		private Duration exportTimeout = Duration.ofMinutes(DEFAULT_EXPORT_TIMEOUT_MINUTES);
		private boolean shutdownHook = true;
		private Path jsonLinesPath = Path.of(DEFAULT_JSON_LINES_FILE);
		private @Nullable Path spool;
		private long spoolMaxBytes = DEFAULT_SPOOL_MAX_BYTES;
		private Duration connectTimeout = Duration.ofSeconds(DEFAULT_CONNECT_TIMEOUT_SECONDS);
		private Duration responseTimeout = Duration.ofSeconds(DEFAULT_RESPONSE_TIMEOUT_SECONDS);
		private boolean gzip;
		private Duration initialBackoff = Duration.ofMillis(DEFAULT_INITIAL_BACKOFF_MILLIS);
		private Duration maxBackoff = Duration.ofSeconds(DEFAULT_MAX_BACKOFF_SECONDS);
		private Duration maxRetryDuration = Duration.ofMinutes(DEFAULT_MAX_RETRY_MINUTES);
		private OverflowPolicy overflowPolicy = OverflowPolicy.DROP_NEWEST;

		private Builder() {
		}

		/** The phospho API key (printable ASCII, no spaces); {@code null} removes it. Default: none (JSON Lines file). */
		public Builder apiKey(@Nullable String apiKey) {
			this.apiKey = apiKey;
			return this;
		}

		/** The phospho project that receives the tasks; required with an API key. */
		public Builder projectId(@Nullable String projectId) {
			this.projectId = projectId;
			return this;
		}

		/**
		 * The API's base URL, {@code http} or {@code https}, with a host and maybe a path, but no query,
		 * fragment or user info: the client appends paths to it. Default {@value #DEFAULT_BASE_URL}.
		 */
		public Builder baseUrl(String baseUrl) {
			this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
			return this;
		}

		/** The version of the app sent with every task. Default: one {@code yyyyMMdd_adjective-animal} id per process. */
		public Builder versionId(String versionId) {
			this.versionId = Objects.requireNonNull(versionId, "versionId");
			return this;
		}

		/** The event's {@code environment}. Default {@value #DEFAULT_ENVIRONMENT}. */
		public Builder environment(String environment) {
			this.environment = Objects.requireNonNull(environment, "environment");
			return this;
		}

		/** Replaces the default exporter (phospho API with a key, JSON Lines file without). */
		public Builder exporter(@Nullable TaskExporter exporter) {
			this.exporter = exporter;
			return this;
		}

		/** Tasks held at most, queued or being exported. Default {@value #DEFAULT_MAX_QUEUE_SIZE}. */
		public Builder maxQueueSize(int maxQueueSize) {
			this.maxQueueSize = maxQueueSize;
			return this;
		}

		/** Tasks in one batch at most. Default {@value #DEFAULT_MAX_BATCH_SIZE}. */
		public Builder maxBatchSize(int maxBatchSize) {
			this.maxBatchSize = maxBatchSize;
			return this;
		}

		/** JSON bytes in one batch at most; 1024 to {@value #LIMIT_BATCH_BYTES}. Default {@value #DEFAULT_MAX_BATCH_BYTES} (4 MiB). */
		public Builder maxBatchBytes(long maxBatchBytes) {
			this.maxBatchBytes = maxBatchBytes;
			return this;
		}

		/** How long a task waits at most for its batch to fill, up to {@value #LIMIT_WAIT_HOURS} h. Default {@value #DEFAULT_LINGER_MILLIS} ms. */
		public Builder lingerDelay(Duration lingerDelay) {
			this.lingerDelay = Objects.requireNonNull(lingerDelay, "lingerDelay");
			return this;
		}

		/** Characters of input or output kept at most. Default {@value #DEFAULT_MAX_FIELD_CHARS}. */
		public Builder maxFieldChars(int maxFieldChars) {
			this.maxFieldChars = maxFieldChars;
			return this;
		}

		/** Batches exported at once at most. Default {@value #DEFAULT_MAX_CONCURRENT_EXPORTS}. */
		public Builder maxConcurrentExports(int maxConcurrentExports) {
			this.maxConcurrentExports = maxConcurrentExports;
			return this;
		}

		/** How long {@code shutdown()} waits for the queue to drain, up to {@value #LIMIT_WAIT_HOURS} h. Default {@value #DEFAULT_SHUTDOWN_TIMEOUT_SECONDS} s. */
		public Builder shutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
			return this;
		}

		/**
		 * How long one export may take, retries included, up to {@value #LIMIT_EXPORT_TIMEOUT_HOURS} h;
		 * then it is cancelled and its batch counted as failed, so that an exporter that never completes
		 * cannot hold an export slot. Keep it above the exporter's own retry duration. Default
		 * {@value #DEFAULT_EXPORT_TIMEOUT_MINUTES} min.
		 */
		public Builder exportTimeout(Duration exportTimeout) {
			this.exportTimeout = Objects.requireNonNull(exportTimeout, "exportTimeout");
			return this;
		}

		/** Whether a JVM shutdown hook flushes for up to 5 s. Default {@code true}. */
		public Builder shutdownHook(boolean shutdownHook) {
			this.shutdownHook = shutdownHook;
			return this;
		}

		/** The file of the embedded JSON Lines exporter. Default {@value #DEFAULT_JSON_LINES_FILE}. */
		public Builder jsonLinesPath(Path jsonLinesPath) {
			this.jsonLinesPath = Objects.requireNonNull(jsonLinesPath, "jsonLinesPath");
			return this;
		}

		/** How long opening a connection may take, up to {@value #LIMIT_CONNECT_TIMEOUT_SECONDS} s. Default {@value #DEFAULT_CONNECT_TIMEOUT_SECONDS} s. */
		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
			return this;
		}

		/**
		 * How long the API's reply may take, up to {@value #LIMIT_RESPONSE_TIMEOUT_SECONDS} s; then the
		 * attempt is retried. Default {@value #DEFAULT_RESPONSE_TIMEOUT_SECONDS} s.
		 */
		public Builder responseTimeout(Duration responseTimeout) {
			this.responseTimeout = Objects.requireNonNull(responseTimeout, "responseTimeout");
			return this;
		}

		/**
		 * Whether to gzip request bodies ({@code Content-Encoding: gzip}). Default {@code false}: the
		 * phospho API does not promise to accept compressed bodies; use it with a server that does.
		 */
		public Builder gzip(boolean gzip) {
			this.gzip = gzip;
			return this;
		}

		/**
		 * The backoff ceiling of the first retry; attempt {@code n} waits a random time between 0 and
		 * {@code min(maxBackoff, initialBackoff * 2^(n-1))} (full jitter). Default
		 * {@value #DEFAULT_INITIAL_BACKOFF_MILLIS} ms.
		 */
		public Builder initialBackoff(Duration initialBackoff) {
			this.initialBackoff = Objects.requireNonNull(initialBackoff, "initialBackoff");
			return this;
		}

		/** The largest backoff ceiling, up to {@value #LIMIT_BACKOFF_SECONDS} s. Default {@value #DEFAULT_MAX_BACKOFF_SECONDS} s. */
		public Builder maxBackoff(Duration maxBackoff) {
			this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
			return this;
		}

		/**
		 * How long a batch is retried after its first attempt before it is dropped and counted as
		 * failed, up to {@value #LIMIT_RETRY_HOURS} h. Default {@value #DEFAULT_MAX_RETRY_MINUTES} min.
		 */
		public Builder maxRetryDuration(Duration maxRetryDuration) {
			this.maxRetryDuration = Objects.requireNonNull(maxRetryDuration, "maxRetryDuration");
			return this;
		}

		/**
		 * Keeps every task in a spool in {@code dir} from the moment the export worker takes it until
		 * the exporter has acknowledged it, so that a crash, a restart or a long outage loses nothing
		 * that reached it; the next client started on {@code dir} sends what is left. The directory is
		 * created if need be and must be this process's alone: {@code create} fails, naming it, when it
		 * cannot be written or another client holds it. Default: none, tasks are held in memory only.
		 */
		public Builder spool(Path dir) {
			this.spool = Objects.requireNonNull(dir, "spool");
			return this;
		}

		/**
		 * Bytes the spool may hold, at least {@value #LIMIT_SPOOL_MIN_BYTES}; past it the oldest tasks
		 * are dropped and counted. Default {@value #DEFAULT_SPOOL_MAX_BYTES} (256 MiB).
		 */
		public Builder spoolMaxBytes(long spoolMaxBytes) {
			this.spoolMaxBytes = spoolMaxBytes;
			return this;
		}

		/** What happens to a task logged when the queue is full. Default {@link OverflowPolicy#DROP_NEWEST}. */
		public Builder overflowPolicy(OverflowPolicy overflowPolicy) {
			this.overflowPolicy = Objects.requireNonNull(overflowPolicy, "overflowPolicy");
			return this;
		}

		/**
		 * Validates and builds.
		 *
		 * @throws IllegalArgumentException naming the field and its bad value
		 */
		public PhosphoOptions build() {
			OptionChecks.apiKey(apiKey);
			if (projectId != null && projectId.isBlank()) {
				throw new IllegalArgumentException("projectId must not be blank, was '" + projectId + "'");
			}
			if (apiKey != null && projectId == null && exporter == null) {
				throw new IllegalArgumentException(
						"projectId must be set when apiKey is set (PHOSPHO_PROJECT_ID), was null");
			}
			OptionChecks.baseUrl(baseUrl, apiKey);
			if (versionId != null && versionId.isBlank()) {
				throw new IllegalArgumentException("versionId must not be blank, was '" + versionId + "'");
			}
			OptionChecks.strictlyPositive("maxQueueSize", maxQueueSize);
			OptionChecks.strictlyPositive("maxBatchSize", maxBatchSize);
			OptionChecks.strictlyPositive("maxFieldChars", maxFieldChars);
			OptionChecks.strictlyPositive("maxConcurrentExports", maxConcurrentExports);
			if (maxBatchBytes < 1024) {
				throw new IllegalArgumentException("maxBatchBytes must be at least 1024, was " + maxBatchBytes);
			}
			OptionChecks.atMost("maxBatchBytes", maxBatchBytes, LIMIT_BATCH_BYTES);
			Duration wait = Duration.ofHours(LIMIT_WAIT_HOURS);
			OptionChecks.strictlyPositive("lingerDelay", lingerDelay);
			OptionChecks.atMost("lingerDelay", lingerDelay, wait);
			OptionChecks.nonNegative("shutdownTimeout", shutdownTimeout);
			OptionChecks.atMost("shutdownTimeout", shutdownTimeout, wait);
			OptionChecks.strictlyPositive("exportTimeout", exportTimeout);
			OptionChecks.atMost("exportTimeout", exportTimeout, Duration.ofHours(LIMIT_EXPORT_TIMEOUT_HOURS));
			OptionChecks.strictlyPositive("connectTimeout", connectTimeout);
			OptionChecks.atMost("connectTimeout", connectTimeout, Duration.ofSeconds(LIMIT_CONNECT_TIMEOUT_SECONDS));
			OptionChecks.strictlyPositive("responseTimeout", responseTimeout);
			OptionChecks.atMost("responseTimeout", responseTimeout, Duration.ofSeconds(LIMIT_RESPONSE_TIMEOUT_SECONDS));
			OptionChecks.strictlyPositive("initialBackoff", initialBackoff);
			if (maxBackoff.compareTo(initialBackoff) < 0) {
				throw new IllegalArgumentException(
						"maxBackoff must be at least initialBackoff (" + initialBackoff + "), was " + maxBackoff);
			}
			OptionChecks.atMost("maxBackoff", maxBackoff, Duration.ofSeconds(LIMIT_BACKOFF_SECONDS));
			OptionChecks.nonNegative("maxRetryDuration", maxRetryDuration);
			OptionChecks.atMost("maxRetryDuration", maxRetryDuration, Duration.ofHours(LIMIT_RETRY_HOURS));
			if (spoolMaxBytes < LIMIT_SPOOL_MIN_BYTES) {
				throw new IllegalArgumentException("spoolMaxBytes must be at least " + LIMIT_SPOOL_MIN_BYTES + ", was "
						+ spoolMaxBytes);
			}
			return new PhosphoOptions(this);
		}
	}
}

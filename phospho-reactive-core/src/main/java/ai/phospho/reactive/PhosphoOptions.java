package ai.phospho.reactive;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

import ai.phospho.reactive.export.PhosphoHttpExporterBuilder;
import ai.phospho.reactive.export.TaskExporter;
import ai.phospho.reactive.export.TaskListener;
import ai.phospho.reactive.internal.Ids;
import ai.phospho.reactive.internal.OptionChecks;
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
	/** Hours {@code exportTimeout} may be at most: a week. */
	public static final long LIMIT_EXPORT_TIMEOUT_HOURS = 168;
	/** The JSON Lines file of the embedded default exporter, in the working directory. */
	public static final String DEFAULT_JSON_LINES_FILE = "phospho-tasks.jsonl";
	/** The event's {@code environment}, as in the Python SDK. */
	public static final String DEFAULT_ENVIRONMENT = "default environment";
	// Upper limits: build() refuses more. They keep every duration far from where toNanos() overflows
	// (292 years, e.g. ChronoUnit.FOREVER) and every value within what the client can use.
	/** Hours {@code lingerDelay} and {@code shutdownTimeout} may be at most. */
	public static final long LIMIT_WAIT_HOURS = 24;
	/** Bytes {@code maxBatchBytes} may be at most: 1 GiB; a request body is one buffer. */
	public static final long LIMIT_BATCH_BYTES = 1L << 30;
	/** The fraction of sessions whose tasks are logged: all of them. */
	public static final double DEFAULT_SAMPLE_RATE = 1.0;

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

	/**
	 * What of a task's content is sent. Ids, flag, environment, timings, model, token usage and
	 * {@code metadata} are sent in every mode.
	 */
	public enum ContentMode {
		/** Everything extracted: input, output, system prompt, {@code raw_input}, {@code raw_output} (the default). */
		FULL,
		/** As {@link #FULL}, without {@code raw_input} and {@code raw_output}. */
		NO_RAW,
		/**
		 * No content: {@code input} is {@code ""} (the backend requires a string), no {@code output},
		 * {@code system_prompt}, raw values or extra keys set with {@link TaskLog#put}; the metadata
		 * records the lengths instead, {@code input_chars} and {@code output_chars} (absent without output).
		 */
		METADATA_ONLY
	}

	private static final UnaryOperator<PhosphoHttpExporterBuilder> IDENTITY = UnaryOperator.identity();

	/** The values: a builder of its own, never changed after {@link Builder#build()}. */
	private final Builder v;
	private final String versionId;

	private PhosphoOptions(Builder values) {
		this.v = values;
		this.versionId = values.versionId != null ? values.versionId : Ids.processVersionId();
	}

	/** A builder with every default and nothing read from the environment. */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * A builder filled from {@code PHOSPHO_API_KEY}, {@code PHOSPHO_PROJECT_ID},
	 * {@code PHOSPHO_BASE_URL} and {@code PHOSPHO_TEST_ID} (as the Python SDK reads it); blank
	 * variables count as absent.
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
		b.testId(nonBlank(env.get("PHOSPHO_TEST_ID")));
		return b;
	}

	/** A builder holding these options, to derive a variant. */
	public Builder toBuilder() {
		Builder b = v.copy();
		b.versionId = versionId;
		return b;
	}

	/** The API key, {@code null} when tasks go to another exporter. Never logged. */
	public @Nullable String apiKey() {
		return v.apiKey;
	}

	public @Nullable String projectId() {
		return v.projectId;
	}

	public String baseUrl() {
		return v.baseUrl;
	}

	public String versionId() {
		return versionId;
	}

	public String environment() {
		return v.environment;
	}

	/** The exporter set with {@link Builder#exporter(TaskExporter)}, {@code null} for the default. */
	public @Nullable TaskExporter exporter() {
		return v.exporter;
	}

	public int maxQueueSize() {
		return v.maxQueueSize;
	}

	public int maxBatchSize() {
		return v.maxBatchSize;
	}

	public long maxBatchBytes() {
		return v.maxBatchBytes;
	}

	public Duration lingerDelay() {
		return v.lingerDelay;
	}

	public int maxFieldChars() {
		return v.maxFieldChars;
	}

	public int maxConcurrentExports() {
		return v.maxConcurrentExports;
	}

	public Duration shutdownTimeout() {
		return v.shutdownTimeout;
	}

	public Duration exportTimeout() {
		return v.exportTimeout;
	}

	/** The listeners added with {@link Builder#addTaskListener(TaskListener)}, in order. */
	public List<TaskListener> taskListeners() {
		return v.taskListeners;
	}

	public boolean shutdownHook() {
		return v.shutdownHook;
	}

	public Path jsonLinesPath() {
		return v.jsonLinesPath;
	}

	/**
	 * The customisers of the default HTTP exporter, composed in the order given; the identity when
	 * none was set. Applied by the client to a builder that has this key, project, base URL and twice
	 * {@link #maxConcurrentExports()} connections.
	 */
	public UnaryOperator<PhosphoHttpExporterBuilder> httpExporter() {
		return v.httpExporter;
	}

	public OverflowPolicy overflowPolicy() {
		return v.overflowPolicy;
	}

	/** What changes or drops each task on the export worker before any exporter sees it; {@code null} for none. */
	public @Nullable TaskRedactor redactor() {
		return v.redactor;
	}

	public ContentMode contentMode() {
		return v.contentMode;
	}

	/** The fraction of sessions logged, decided per {@code session_id}; 1 logs everything. */
	public double sampleRate() {
		return v.sampleRate;
	}

	/** Whether a task that ended in an error is logged even when its session is sampled out. */
	public boolean sampleKeepErrors() {
		return v.sampleKeepErrors;
	}

	/** Whether a task with a {@code flag} is logged even when its session is sampled out. */
	public boolean sampleKeepFlagged() {
		return v.sampleKeepFlagged;
	}

	/** The {@code test_id} of every task, {@code null} for none; a Context's {@link PhosphoContext#test} wins. */
	public @Nullable String testId() {
		return v.testId;
	}

	@Override
	public String toString() {
		return "PhosphoOptions{apiKey=" + (v.apiKey == null ? "none" : "<redacted>")
				+ ", projectId=" + v.projectId
				+ ", baseUrl=" + v.baseUrl
				+ ", versionId=" + versionId
				+ ", environment=" + v.environment
				+ ", exporter=" + (v.exporter == null ? "default" : v.exporter.getClass().getName())
				+ ", maxQueueSize=" + v.maxQueueSize
				+ ", maxBatchSize=" + v.maxBatchSize
				+ ", maxBatchBytes=" + v.maxBatchBytes
				+ ", lingerDelay=" + v.lingerDelay
				+ ", maxFieldChars=" + v.maxFieldChars
				+ ", maxConcurrentExports=" + v.maxConcurrentExports
				+ ", shutdownTimeout=" + v.shutdownTimeout
				+ ", exportTimeout=" + v.exportTimeout
				+ ", shutdownHook=" + v.shutdownHook
				+ ", jsonLinesPath=" + v.jsonLinesPath
				+ ", overflowPolicy=" + v.overflowPolicy
				+ ", httpExporter=" + (v.httpExporter == IDENTITY ? "default" : "customised")
				+ ", redactor=" + (v.redactor == null ? "none" : v.redactor.getClass().getName())
				+ ", contentMode=" + v.contentMode
				+ ", sampleRate=" + v.sampleRate
				+ ", sampleKeepErrors=" + v.sampleKeepErrors
				+ ", sampleKeepFlagged=" + v.sampleKeepFlagged
				+ ", testId=" + v.testId
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
		private List<TaskListener> taskListeners = new ArrayList<>();
		private boolean shutdownHook = true;
		private Path jsonLinesPath = Path.of(DEFAULT_JSON_LINES_FILE);
		private UnaryOperator<PhosphoHttpExporterBuilder> httpExporter = IDENTITY;
		private OverflowPolicy overflowPolicy = OverflowPolicy.DROP_NEWEST;
		private @Nullable TaskRedactor redactor;
		private ContentMode contentMode = ContentMode.FULL;
		private double sampleRate = DEFAULT_SAMPLE_RATE;
		private boolean sampleKeepErrors;
		private boolean sampleKeepFlagged;
		private @Nullable String testId;

		private Builder() {
		}

		private Builder copy() {
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
			b.redactor = redactor;
			b.contentMode = contentMode;
			b.sampleRate = sampleRate;
			b.sampleKeepErrors = sampleKeepErrors;
			b.sampleKeepFlagged = sampleKeepFlagged;
			b.testId = testId;
			b.taskListeners = new ArrayList<>(taskListeners);
			b.shutdownHook = shutdownHook;
			b.jsonLinesPath = jsonLinesPath;
			b.httpExporter = httpExporter;
			b.overflowPolicy = overflowPolicy;
			return b;
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

		/**
		 * Adds a listener told when each task starts and ends (spans, metrics), independent of the
		 * exporter; see {@link TaskListener}. None by default.
		 */
		public Builder addTaskListener(TaskListener listener) {
			taskListeners.add(Objects.requireNonNull(listener, "listener"));
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

		/**
		 * Customises the default exporter to the phospho API (used with an API key and no
		 * {@link #exporter(TaskExporter) exporter}): its timeouts, gzip, backoff, connections, the
		 * Reactor Netty {@code HttpClient}. The builder it gets already has this key, project and base
		 * URL. Calls compose, in order. Its settings are validated when the client creates the
		 * exporter, with a {@link PhosphoOptionsException} as here.
		 *
		 * <pre>{@code
		 * PhosphoOptions.fromEnvironment()
		 *     .httpExporter(http -> http.responseTimeout(Duration.ofSeconds(10)).gzip(true))
		 *     .build();
		 * }</pre>
		 */
		public Builder httpExporter(UnaryOperator<PhosphoHttpExporterBuilder> customizer) {
			Objects.requireNonNull(customizer, "customizer");
			UnaryOperator<PhosphoHttpExporterBuilder> before = httpExporter;
			this.httpExporter = b -> Objects.requireNonNull(customizer.apply(before.apply(b)),
					"the httpExporter customiser returned null");
			return this;
		}

		/** What happens to a task logged when the queue is full. Default {@link OverflowPolicy#DROP_NEWEST}. */
		public Builder overflowPolicy(OverflowPolicy overflowPolicy) {
			this.overflowPolicy = Objects.requireNonNull(overflowPolicy, "overflowPolicy");
			return this;
		}

		/**
		 * Changes or drops each task before any exporter sees it: on the export worker, off the
		 * caller's thread, exactly once per task. A redactor that throws drops the task (counted in
		 * {@link PhosphoStats#redactionFailures()}). {@code null} removes it. Default: none.
		 */
		public Builder redactor(@Nullable TaskRedactor redactor) {
			this.redactor = redactor;
			return this;
		}

		/** What of a task's content is sent; see {@link ContentMode}. Default {@link ContentMode#FULL}. */
		public Builder contentMode(ContentMode contentMode) {
			this.contentMode = Objects.requireNonNull(contentMode, "contentMode");
			return this;
		}

		/**
		 * The fraction of sessions whose tasks are logged, 0 to 1, decided once per {@code session_id}
		 * with a stable hash: a session is kept or dropped whole (a task without a session is a session
		 * of its own). Sampled-out tasks are counted in {@link PhosphoStats#sampledOut()} and never
		 * built. Default {@value #DEFAULT_SAMPLE_RATE}.
		 */
		public Builder sampleRate(double sampleRate) {
			this.sampleRate = sampleRate;
			return this;
		}

		/** Logs a task that ended in an error ({@code metadata.error}) even when its session is sampled out. Default false. */
		public Builder sampleKeepErrors(boolean sampleKeepErrors) {
			this.sampleKeepErrors = sampleKeepErrors;
			return this;
		}

		/** Logs a task with a {@code flag} (user feedback) even when its session is sampled out. Default false. */
		public Builder sampleKeepFlagged(boolean sampleKeepFlagged) {
			this.sampleKeepFlagged = sampleKeepFlagged;
			return this;
		}

		/** The {@code test_id} of every task ({@code PHOSPHO_TEST_ID}); {@code null} removes it. Default: none. */
		public Builder testId(@Nullable String testId) {
			this.testId = testId;
			return this;
		}

		/**
		 * Validates and builds.
		 *
		 * @throws PhosphoOptionsException naming the option and its bad value (never the key)
		 */
		public PhosphoOptions build() {
			OptionChecks.apiKey(apiKey);
			OptionChecks.notBlank("projectId", projectId);
			if (apiKey != null && projectId == null && exporter == null) {
				throw new PhosphoOptionsException("projectId",
						"must be set when apiKey is set (PHOSPHO_PROJECT_ID), was null", "apiKey");
			}
			OptionChecks.baseUrl(baseUrl, apiKey);
			OptionChecks.notBlank("versionId", versionId);
			OptionChecks.strictlyPositive("maxQueueSize", maxQueueSize);
			OptionChecks.strictlyPositive("maxBatchSize", maxBatchSize);
			OptionChecks.strictlyPositive("maxFieldChars", maxFieldChars);
			OptionChecks.strictlyPositive("maxConcurrentExports", maxConcurrentExports);
			if (maxBatchBytes < 1024) {
				throw new PhosphoOptionsException("maxBatchBytes", "must be at least 1024, was " + maxBatchBytes);
			}
			OptionChecks.atMost("maxBatchBytes", maxBatchBytes, LIMIT_BATCH_BYTES);
			Duration wait = Duration.ofHours(LIMIT_WAIT_HOURS);
			OptionChecks.strictlyPositive("lingerDelay", lingerDelay);
			OptionChecks.atMost("lingerDelay", lingerDelay, wait);
			OptionChecks.nonNegative("shutdownTimeout", shutdownTimeout);
			OptionChecks.atMost("shutdownTimeout", shutdownTimeout, wait);
			OptionChecks.strictlyPositive("exportTimeout", exportTimeout);
			OptionChecks.atMost("exportTimeout", exportTimeout, Duration.ofHours(LIMIT_EXPORT_TIMEOUT_HOURS));
			if (!(sampleRate >= 0 && sampleRate <= 1)) {
				throw new PhosphoOptionsException("sampleRate", "must be between 0 and 1, was " + sampleRate);
			}
			if (testId != null && testId.isBlank()) {
				throw new PhosphoOptionsException("testId", "must not be blank, was '" + testId + "'");
			}
			Builder values = copy();
			values.taskListeners = List.copyOf(taskListeners);
			return new PhosphoOptions(values);
		}
	}
}

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
 * Builds {@link PhosphoOptions} ({@link PhosphoOptions#builder()}): every setter states its default;
 * {@link #build()} validates, naming the option and the bad value ({@link PhosphoOptionsException}).
 */
public final class PhosphoOptionsBuilder {

	/** The default of {@link #httpExporter}: no change. */
	static final UnaryOperator<PhosphoHttpExporterBuilder> IDENTITY = UnaryOperator.identity();

	@Nullable String apiKey;
	@Nullable String projectId;
	String baseUrl = PhosphoOptions.DEFAULT_BASE_URL;
	@Nullable String versionId;
	String environment = PhosphoOptions.DEFAULT_ENVIRONMENT;
	@Nullable TaskExporter exporter;
	int maxQueueSize = PhosphoOptions.DEFAULT_MAX_QUEUE_SIZE;
	int maxBatchSize = PhosphoOptions.DEFAULT_MAX_BATCH_SIZE;
	long maxBatchBytes = PhosphoOptions.DEFAULT_MAX_BATCH_BYTES;
	Duration lingerDelay = Duration.ofMillis(PhosphoOptions.DEFAULT_LINGER_MILLIS);
	int maxFieldChars = PhosphoOptions.DEFAULT_MAX_FIELD_CHARS;
	int maxConcurrentExports = PhosphoOptions.DEFAULT_MAX_CONCURRENT_EXPORTS;
	Duration shutdownTimeout = Duration.ofSeconds(PhosphoOptions.DEFAULT_SHUTDOWN_TIMEOUT_SECONDS);
	Duration exportTimeout = Duration.ofMinutes(PhosphoOptions.DEFAULT_EXPORT_TIMEOUT_MINUTES);
	List<TaskListener> taskListeners = new ArrayList<>();
	boolean shutdownHook = true;
	Path jsonLinesPath = Path.of(PhosphoOptions.DEFAULT_JSON_LINES_FILE);
	UnaryOperator<PhosphoHttpExporterBuilder> httpExporter = IDENTITY;
	PhosphoOptions.OverflowPolicy overflowPolicy = PhosphoOptions.OverflowPolicy.DROP_NEWEST;
	@Nullable Path spool;
	long spoolMaxBytes = PhosphoOptions.DEFAULT_SPOOL_MAX_BYTES;
	@Nullable TaskRedactor redactor;
	PhosphoOptions.ContentMode contentMode = PhosphoOptions.ContentMode.FULL;
	double sampleRate = PhosphoOptions.DEFAULT_SAMPLE_RATE;
	boolean sampleKeepErrors;
	boolean sampleKeepFlagged;
	@Nullable String testId;

	PhosphoOptionsBuilder() {
	}

	PhosphoOptionsBuilder copy() {
		PhosphoOptionsBuilder b = new PhosphoOptionsBuilder();
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
		b.spool = spool;
		b.spoolMaxBytes = spoolMaxBytes;
		return b;
	}

	/** The phospho API key (printable ASCII, no spaces); {@code null} removes it. Default: none (JSON Lines file). */
	public PhosphoOptionsBuilder apiKey(@Nullable String apiKey) {
		this.apiKey = apiKey;
		return this;
	}

	/** The phospho project that receives the tasks; required with an API key. */
	public PhosphoOptionsBuilder projectId(@Nullable String projectId) {
		this.projectId = projectId;
		return this;
	}

	/**
	 * The API's base URL, {@code http} or {@code https}, with a host and maybe a path, but no query,
	 * fragment or user info: the client appends paths to it. Default {@value PhosphoOptions#DEFAULT_BASE_URL}.
	 */
	public PhosphoOptionsBuilder baseUrl(String baseUrl) {
		this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
		return this;
	}

	/** The version of the app sent with every task. Default: one {@code yyyyMMdd_adjective-animal} id per process. */
	public PhosphoOptionsBuilder versionId(String versionId) {
		this.versionId = Objects.requireNonNull(versionId, "versionId");
		return this;
	}

	/** The event's {@code environment}. Default {@value PhosphoOptions#DEFAULT_ENVIRONMENT}. */
	public PhosphoOptionsBuilder environment(String environment) {
		this.environment = Objects.requireNonNull(environment, "environment");
		return this;
	}

	/** Replaces the default exporter (phospho API with a key, JSON Lines file without). */
	public PhosphoOptionsBuilder exporter(@Nullable TaskExporter exporter) {
		this.exporter = exporter;
		return this;
	}

	/** Tasks held at most, queued or being exported. Default {@value PhosphoOptions#DEFAULT_MAX_QUEUE_SIZE}. */
	public PhosphoOptionsBuilder maxQueueSize(int maxQueueSize) {
		this.maxQueueSize = maxQueueSize;
		return this;
	}

	/** Tasks in one batch at most. Default {@value PhosphoOptions#DEFAULT_MAX_BATCH_SIZE}. */
	public PhosphoOptionsBuilder maxBatchSize(int maxBatchSize) {
		this.maxBatchSize = maxBatchSize;
		return this;
	}

	/** JSON bytes in one batch at most; 1024 to {@value PhosphoOptions#LIMIT_BATCH_BYTES}. Default {@value PhosphoOptions#DEFAULT_MAX_BATCH_BYTES} (4 MiB). */
	public PhosphoOptionsBuilder maxBatchBytes(long maxBatchBytes) {
		this.maxBatchBytes = maxBatchBytes;
		return this;
	}

	/** How long a task waits at most for its batch to fill, up to {@value PhosphoOptions#LIMIT_WAIT_HOURS} h. Default {@value PhosphoOptions#DEFAULT_LINGER_MILLIS} ms. */
	public PhosphoOptionsBuilder lingerDelay(Duration lingerDelay) {
		this.lingerDelay = Objects.requireNonNull(lingerDelay, "lingerDelay");
		return this;
	}

	/** Characters of input or output kept at most. Default {@value PhosphoOptions#DEFAULT_MAX_FIELD_CHARS}. */
	public PhosphoOptionsBuilder maxFieldChars(int maxFieldChars) {
		this.maxFieldChars = maxFieldChars;
		return this;
	}

	/** Batches exported at once at most. Default {@value PhosphoOptions#DEFAULT_MAX_CONCURRENT_EXPORTS}. */
	public PhosphoOptionsBuilder maxConcurrentExports(int maxConcurrentExports) {
		this.maxConcurrentExports = maxConcurrentExports;
		return this;
	}

	/** How long {@code shutdown()} waits for the queue to drain, up to {@value PhosphoOptions#LIMIT_WAIT_HOURS} h. Default {@value PhosphoOptions#DEFAULT_SHUTDOWN_TIMEOUT_SECONDS} s. */
	public PhosphoOptionsBuilder shutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
		return this;
	}

	/**
	 * How long one export may take, retries included, up to {@value PhosphoOptions#LIMIT_EXPORT_TIMEOUT_HOURS} h;
	 * then it is cancelled and its batch counted as failed, so that an exporter that never completes
	 * cannot hold an export slot. Keep it above the exporter's own retry duration. Default
	 * {@value PhosphoOptions#DEFAULT_EXPORT_TIMEOUT_MINUTES} min.
	 */
	public PhosphoOptionsBuilder exportTimeout(Duration exportTimeout) {
		this.exportTimeout = Objects.requireNonNull(exportTimeout, "exportTimeout");
		return this;
	}

	/**
	 * Adds a listener told when each task starts and ends (spans, metrics), independent of the
	 * exporter; see {@link TaskListener}. None by default.
	 */
	public PhosphoOptionsBuilder addTaskListener(TaskListener listener) {
		taskListeners.add(Objects.requireNonNull(listener, "listener"));
		return this;
	}

	/** Whether a JVM shutdown hook flushes for up to 5 s. Default {@code true}. */
	public PhosphoOptionsBuilder shutdownHook(boolean shutdownHook) {
		this.shutdownHook = shutdownHook;
		return this;
	}

	/** The file of the embedded JSON Lines exporter. Default {@value PhosphoOptions#DEFAULT_JSON_LINES_FILE}. */
	public PhosphoOptionsBuilder jsonLinesPath(Path jsonLinesPath) {
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
	public PhosphoOptionsBuilder httpExporter(UnaryOperator<PhosphoHttpExporterBuilder> customizer) {
		Objects.requireNonNull(customizer, "customizer");
		UnaryOperator<PhosphoHttpExporterBuilder> before = httpExporter;
		this.httpExporter = b -> Objects.requireNonNull(customizer.apply(before.apply(b)),
				"the httpExporter customiser returned null");
		return this;
	}

	/**
	 * Keeps every task in a spool in {@code dir} from the moment the export worker takes it until
	 * the exporter has acknowledged it, so that a crash, a restart or a long outage loses nothing
	 * that reached it; the next client started on {@code dir} sends what is left. The directory is
	 * created if need be and must be this process's alone: {@code create} fails, naming it, when it
	 * cannot be written or another client holds it. Default: none, tasks are held in memory only.
	 */
	public PhosphoOptionsBuilder spool(Path dir) {
		this.spool = Objects.requireNonNull(dir, "spool");
		return this;
	}

	/**
	 * Bytes the spool may hold, at least {@value PhosphoOptions#LIMIT_SPOOL_MIN_BYTES}; past it the
	 * oldest tasks are dropped and counted. Default {@value PhosphoOptions#DEFAULT_SPOOL_MAX_BYTES} (256 MiB).
	 */
	public PhosphoOptionsBuilder spoolMaxBytes(long spoolMaxBytes) {
		this.spoolMaxBytes = spoolMaxBytes;
		return this;
	}

	/** What happens to a task logged when the queue is full. Default {@link PhosphoOptions.OverflowPolicy#DROP_NEWEST}. */
	public PhosphoOptionsBuilder overflowPolicy(PhosphoOptions.OverflowPolicy overflowPolicy) {
		this.overflowPolicy = Objects.requireNonNull(overflowPolicy, "overflowPolicy");
		return this;
	}

	/**
	 * Changes or drops each task before any exporter sees it: on the export worker, off the
	 * caller's thread, exactly once per task. A redactor that throws drops the task (counted in
	 * {@link PhosphoStats#redactionFailures()}). {@code null} removes it. Default: none.
	 */
	public PhosphoOptionsBuilder redactor(@Nullable TaskRedactor redactor) {
		this.redactor = redactor;
		return this;
	}

	/** What of a task's content is sent; see {@link PhosphoOptions.ContentMode}. Default {@link PhosphoOptions.ContentMode#FULL}. */
	public PhosphoOptionsBuilder contentMode(PhosphoOptions.ContentMode contentMode) {
		this.contentMode = Objects.requireNonNull(contentMode, "contentMode");
		return this;
	}

	/**
	 * The fraction of sessions whose tasks are logged, 0 to 1, decided once per {@code session_id}
	 * with a stable hash: a session is kept or dropped whole (a task without a session is a session
	 * of its own). Sampled-out tasks are counted in {@link PhosphoStats#sampledOut()} and never
	 * built. Default {@value PhosphoOptions#DEFAULT_SAMPLE_RATE}.
	 */
	public PhosphoOptionsBuilder sampleRate(double sampleRate) {
		this.sampleRate = sampleRate;
		return this;
	}

	/** Logs a task that ended in an error ({@code metadata.error}) even when its session is sampled out. Default false. */
	public PhosphoOptionsBuilder sampleKeepErrors(boolean sampleKeepErrors) {
		this.sampleKeepErrors = sampleKeepErrors;
		return this;
	}

	/** Logs a task with a {@code flag} (user feedback) even when its session is sampled out. Default false. */
	public PhosphoOptionsBuilder sampleKeepFlagged(boolean sampleKeepFlagged) {
		this.sampleKeepFlagged = sampleKeepFlagged;
		return this;
	}

	/** The {@code test_id} of every task ({@code PHOSPHO_TEST_ID}); {@code null} removes it. Default: none. */
	public PhosphoOptionsBuilder testId(@Nullable String testId) {
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
		OptionChecks.atMost("maxBatchBytes", maxBatchBytes, PhosphoOptions.LIMIT_BATCH_BYTES);
		Duration wait = Duration.ofHours(PhosphoOptions.LIMIT_WAIT_HOURS);
		OptionChecks.strictlyPositive("lingerDelay", lingerDelay);
		OptionChecks.atMost("lingerDelay", lingerDelay, wait);
		OptionChecks.nonNegative("shutdownTimeout", shutdownTimeout);
		OptionChecks.atMost("shutdownTimeout", shutdownTimeout, wait);
		OptionChecks.strictlyPositive("exportTimeout", exportTimeout);
		OptionChecks.atMost("exportTimeout", exportTimeout, Duration.ofHours(PhosphoOptions.LIMIT_EXPORT_TIMEOUT_HOURS));
		if (!(sampleRate >= 0 && sampleRate <= 1)) {
			throw new PhosphoOptionsException("sampleRate", "must be between 0 and 1, was " + sampleRate);
		}
		if (spoolMaxBytes < PhosphoOptions.LIMIT_SPOOL_MIN_BYTES) {
			throw new PhosphoOptionsException("spoolMaxBytes", "must be at least " + PhosphoOptions.LIMIT_SPOOL_MIN_BYTES
					+ ", was " + spoolMaxBytes);
		}
		if (testId != null && testId.isBlank()) {
			throw new PhosphoOptionsException("testId", "must not be blank, was '" + testId + "'");
		}
		PhosphoOptionsBuilder values = copy();
		values.taskListeners = List.copyOf(taskListeners);
		return new PhosphoOptions(values);
	}
}

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
 * <p>Without an API key and without an {@link PhosphoOptionsBuilder#exporter(TaskExporter) exporter}, tasks go to
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
	/** Bytes the disk spool may hold at most, by default (256 MiB). */
	public static final long DEFAULT_SPOOL_MAX_BYTES = 256L * 1024 * 1024;
	/** Bytes the disk spool may be given at least (1 MiB). */
	public static final long LIMIT_SPOOL_MIN_BYTES = 1L << 20;
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


	/** The values: a builder of its own, never changed after {@link PhosphoOptionsBuilder#build()}. */
	private final PhosphoOptionsBuilder v;
	private final String versionId;

	PhosphoOptions(PhosphoOptionsBuilder values) {
		this.v = values;
		this.versionId = values.versionId != null ? values.versionId : Ids.processVersionId();
	}

	/** A builder with every default and nothing read from the environment. */
	public static PhosphoOptionsBuilder builder() {
		return new PhosphoOptionsBuilder();
	}

	/**
	 * A builder filled from {@code PHOSPHO_API_KEY}, {@code PHOSPHO_PROJECT_ID},
	 * {@code PHOSPHO_BASE_URL} and {@code PHOSPHO_TEST_ID} (as the Python SDK reads it); blank
	 * variables count as absent.
	 */
	public static PhosphoOptionsBuilder fromEnvironment() {
		return fromEnvironment(System.getenv());
	}

	static PhosphoOptionsBuilder fromEnvironment(Map<String, String> env) {
		PhosphoOptionsBuilder b = new PhosphoOptionsBuilder();
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
	public PhosphoOptionsBuilder toBuilder() {
		PhosphoOptionsBuilder b = v.copy();
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

	/** The exporter set with {@link PhosphoOptionsBuilder#exporter(TaskExporter)}, {@code null} for the default. */
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

	/** The listeners added with {@link PhosphoOptionsBuilder#addTaskListener(TaskListener)}, in order. */
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

	/** The directory of the disk spool, or {@code null} when tasks are held in memory only (the default). */
	public @Nullable Path spool() {
		return v.spool;
	}

	public long spoolMaxBytes() {
		return v.spoolMaxBytes;
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
				+ ", spool=" + v.spool
				+ ", spoolMaxBytes=" + v.spoolMaxBytes
				+ ", httpExporter=" + (v.httpExporter == PhosphoOptionsBuilder.IDENTITY ? "default" : "customised")
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
}

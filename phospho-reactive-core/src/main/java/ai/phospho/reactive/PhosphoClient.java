package ai.phospho.reactive;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * One phospho logger with its own export pipeline: the instance form of {@link Phospho}, for
 * dependency injection and tests.
 *
 * <pre>{@code
 * PhosphoClient client = PhosphoClient.create(PhosphoOptions.fromEnvironment().build());
 * client.log("What is the speed of light?", "299,792 km/s");
 * client.shutdown().block();
 * }</pre>
 *
 * <p>{@code log} never blocks and never fails because of the destination: the task is queued, and
 * dropped and counted when the queue is full.
 */
public final class PhosphoClient {

	private static final Logger LOG = Loggers.getLogger("ai.phospho.reactive");
	/** How long the JVM shutdown hook flushes at most. */
	static final Duration SHUTDOWN_HOOK_TIMEOUT = Duration.ofSeconds(5);

	private final PhosphoOptions options;
	private final TaskExporter exporter;
	private final ExportPipeline pipeline;
	private final @Nullable Thread shutdownHook;

	private PhosphoClient(PhosphoOptions options) {
		this.options = options;
		this.exporter = defaultExporter(options);
		this.pipeline = new ExportPipeline(exporter, options);
		this.shutdownHook = options.shutdownHook() ? registerShutdownHook() : null;
	}

	/** A client with its own queue, worker and exporter. */
	public static PhosphoClient create(PhosphoOptions options) {
		return new PhosphoClient(Objects.requireNonNull(options, "options"));
	}

	private static TaskExporter defaultExporter(PhosphoOptions options) {
		TaskExporter custom = options.exporter();
		if (custom != null) {
			return custom;
		}
		if (options.apiKey() != null) {
			return PhosphoHttpExporter.create(options);
		}
		JsonLinesTaskExporter jsonl = JsonLinesTaskExporter.create(options.jsonLinesPath());
		LOG.warn("phospho: PHOSPHO_API_KEY is not set: tasks are written to {}",
				options.jsonLinesPath().toAbsolutePath());
		return jsonl;
	}

	private Thread registerShutdownHook() {
		Thread hook = new Thread(() -> {
			try {
				pipeline.shutdown().block(SHUTDOWN_HOOK_TIMEOUT);
			}
			catch (RuntimeException e) {
				LOG.warn("phospho: flush at JVM exit did not finish: {}", e.toString());
			}
		}, "phospho-shutdown-hook");
		try {
			Runtime.getRuntime().addShutdownHook(hook);
			return hook;
		}
		catch (IllegalStateException alreadyExiting) {
			return null;
		}
	}

	/** The options this client was created with. */
	public PhosphoOptions options() {
		return options;
	}

	/** The exporter tasks go to. */
	public TaskExporter exporter() {
		return exporter;
	}

	/**
	 * Logs one task, as the Python {@code phospho.log(input=..., output=...)}: the text, system
	 * prompt, model and usage are extracted from strings, OpenAI and Ollama shapes, message lists,
	 * records, beans and JSON.
	 *
	 * @param input  what went in; not null ({@code ""} for a task without input)
	 * @param output what came out, or {@code null}
	 * @return the snapshot that is exported
	 * @throws NullPointerException when {@code input} is null
	 */
	public LoggedTask log(Object input, @Nullable Object output) {
		if (input == null) {
			throw new NullPointerException("input must not be null: log \"\" for a task without input");
		}
		return log(TaskLog.of(input).output(output));
	}

	/** Logs one task described by a {@link TaskLog}; see {@link #log(Object, Object)}. */
	public LoggedTask log(TaskLog<?, ?> task) {
		Objects.requireNonNull(task, "task");
		LoggedTask t = Tasks.create(task, options, null);
		pipeline.offer(t);
		return t;
	}

	/** Queues an assembled task; used by the stream operators. */
	void submit(LoggedTask task) {
		pipeline.offer(task);
	}

	/**
	 * Sends a user's evaluation of a logged task, as the Python {@code phospho.user_feedback}:
	 * {@code POST {baseUrl}/v2/tasks/{taskId}/human-eval} with {@code "source": "user"}. Transient
	 * failures are retried as exports are; a refusal (4xx) is logged once with what to check.
	 *
	 * @param taskId the {@link LoggedTask#taskId()} of the task
	 * @param flag   {@link Flag#SUCCESS} or {@link Flag#FAILURE}
	 * @param notes  free text, or {@code null}
	 * @return completes when the API accepted the feedback; errors with a
	 *         {@link PhosphoExportException} when it could not be delivered, or with an
	 *         {@link IllegalStateException} when no API key and project id are configured
	 */
	public Mono<Void> userFeedback(String taskId, Flag flag, @Nullable String notes) {
		Objects.requireNonNull(taskId, "taskId");
		Objects.requireNonNull(flag, "flag");
		if (exporter instanceof PhosphoHttpExporter http) {
			return http.userFeedback(taskId, flag, notes);
		}
		if (options.apiKey() == null || options.projectId() == null) {
			return Mono.error(new IllegalStateException(
					"userFeedback needs apiKey and projectId (PHOSPHO_API_KEY, PHOSPHO_PROJECT_ID)"));
		}
		// Tasks go to another exporter: a short-lived HTTP exporter sends the feedback.
		return Mono.usingWhen(Mono.fromSupplier(() -> PhosphoHttpExporter.create(options)),
				http -> http.userFeedback(taskId, flag, notes), PhosphoHttpExporter::shutdown);
	}

	/** Completes when every task logged before the call has been exported or has failed for good. */
	public Mono<Void> flush() {
		return pipeline.flush();
	}

	/**
	 * Stops accepting tasks, flushes for up to {@link PhosphoOptions#shutdownTimeout()}, then closes
	 * the exporter. Tasks logged afterwards are dropped and counted. Idempotent.
	 */
	public Mono<Void> shutdown() {
		return pipeline.shutdown().doFinally(s -> removeShutdownHook());
	}

	/** Whether {@link #shutdown()} was called. */
	public boolean isShutdown() {
		return pipeline.isClosed();
	}

	/** The pipeline's counters. */
	public PhosphoStats stats() {
		return pipeline.stats();
	}

	private void removeShutdownHook() {
		if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
			try {
				Runtime.getRuntime().removeShutdownHook(shutdownHook);
			}
			catch (IllegalStateException exiting) {
				// The JVM is exiting and runs the hook itself.
			}
		}
	}

	@Override
	public String toString() {
		return "PhosphoClient{" + options + '}';
	}
}

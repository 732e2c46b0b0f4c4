package ai.phospho.reactive;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import ai.phospho.reactive.export.TaskExporter;
import ai.phospho.reactive.internal.ContextPropagation;
import ai.phospho.reactive.internal.ExportPipeline;
import ai.phospho.reactive.internal.Extractors;
import ai.phospho.reactive.internal.Failures;
import ai.phospho.reactive.internal.Reports;
import ai.phospho.reactive.internal.Sampler;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
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
	private final Sampler sampler;
	/** All that the operators and wrappers hold of this client. */
	private final TaskSink sink = new TaskSink() {
		@Override
		public PhosphoOptions options() {
			return options;
		}

		@Override
		public void submit(LoggedTask task) {
			pipeline.offer(task);
		}

		@Override
		public void captureFailed() {
			pipeline.captureFailed();
		}

		@Override
		public Sampler sampler() {
			return sampler;
		}

		@Override
		public void sampledOut() {
			pipeline.sampledOut();
		}
	};

	/** Sends {@link #userFeedback}; closed at shutdown. */
	private final Feedback feedback;

	private PhosphoClient(PhosphoOptions options) {
		// The extractor SPI is looked up (ServiceLoader reads files) now, at set-up, rather than on
		// the first log call, which may run on an event loop.
		Extractors.all();
		this.options = options;
		this.sampler = Sampler.of(options.sampleRate());
		this.exporter = DefaultExporters.of(options);
		this.feedback = new Feedback(options, exporter);
		try {
			this.pipeline = new ExportPipeline(exporter, options);
		}
		catch (RuntimeException e) {
			// A spool that cannot be used: the exporter made for it is released.
			exporter.shutdown().subscribe(null, x -> { });
			throw e;
		}
		this.shutdownHook = options.shutdownHook() ? registerShutdownHook() : null;
	}

	/** A client with its own queue, worker and exporter. */
	public static PhosphoClient create(PhosphoOptions options) {
		Objects.requireNonNull(options, "options");
		// On the module path, the thread-local accessor for context-propagation (see ContextPropagation).
		ContextPropagation.register();
		return new PhosphoClient(options);
	}

	private @Nullable Thread registerShutdownHook() {
		Thread hook = new Thread(() -> {
			try {
				pipeline.shutdown().block(SHUTDOWN_HOOK_TIMEOUT);
			}
			catch (RuntimeException e) {
				LOG.warn("phospho: flush at JVM exit did not finish: {}", Failures.describe(e));
			}
			finally {
				// Daemon threads stop with the JVM: what was reported during the flush is written now.
				Reports.awaitWritten(SHUTDOWN_HOOK_TIMEOUT);
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

	/**
	 * Logs one task, as the Python {@code phospho.log(input=..., output=...)}: the text, system
	 * prompt, model and usage are extracted from strings, OpenAI and Ollama shapes, message lists,
	 * records, beans and JSON.
	 *
	 * @param input  what went in; not null ({@code ""} for a task without input)
	 * @param output what came out, or {@code null}
	 * @return the snapshot that is exported (before the {@link PhosphoOptions#redactor()}); for a session
	 *         sampled out ({@link PhosphoOptions#sampleRate()}), a task holding its ids only, not exported
	 * @throws NullPointerException when {@code input} is null
	 */
	public LoggedTask log(Object input, @Nullable Object output) {
		if (input == null) {
			throw new NullPointerException("input must not be null: log \"\" for a task without input");
		}
		return sink.log(input, output);
	}

	/** Logs one task described by a {@link TaskLog}; see {@link #log(Object, Object)}. */
	public LoggedTask log(TaskLog<?, ?> task) {
		return sink.log(Objects.requireNonNull(task, "task"));
	}

	/**
	 * Logs each subscription to a stream of chunks as one task, for {@code flux.transform(..)}. The
	 * subscriber sees exactly the source's signals; the chunks' text is appended (strings as they are,
	 * OpenAI and Ollama chunks by their content) and the task is logged once, at the first of: the
	 * default stop rule (a provider's documented last message: an OpenAI usage chunk whose
	 * {@code choices} is empty, an Ollama {@code "done": true}, {@code "[DONE]"}; see
	 * {@link StreamLog#stop}), complete, error, cancel. The metadata records {@code stream_status}, {@code chunk_count}, {@code latency_ms},
	 * {@code time_to_first_chunk_ms} and any {@code error}.
	 *
	 * <pre>{@code
	 * openAi.stream(request).transform(client.logStream(request)).subscribe(...);
	 * }</pre>
	 */
	public <T> Function<Flux<T>, Flux<T>> logStream(Object input) {
		return logStream(StreamLog.of(input));
	}

	/** As {@link #logStream(Object)}, the task ending at the first chunk for which {@code stop} is true. */
	public <T> Function<Flux<T>, Flux<T>> logStream(Object input, Predicate<? super T> stop) {
		return logStream(StreamLog.<T>of(input).stop(stop));
	}

	/** As {@link #logStream(Object)}, with the options of a {@link StreamLog} (copied now). */
	public <T> Function<Flux<T>, Flux<T>> logStream(StreamLog<? super T> log) {
		StreamLog<? super T> spec = Objects.requireNonNull(log, "log").copy();
		return flux -> FluxLogStream.create(flux, sink, spec);
	}

	/** As {@link #logStream(Object)}, the input taken from the Context ({@link PhosphoContext#input}), else {@code ""}. */
	public <T> Flux<T> tap(Flux<T> flux) {
		return FluxLogStream.create(flux, sink, StreamLog.of("").inputFromContext());
	}

	/** As {@link #tap(Flux)}, the task ending at the first chunk for which {@code stop} is true. */
	public <T> Flux<T> tap(Flux<T> flux, Predicate<? super T> stop) {
		return FluxLogStream.create(flux, sink, StreamLog.<T>of("").stop(stop).inputFromContext());
	}

	/**
	 * Logs each subscription to {@code mono} as one task: its value as the output (extracted as by
	 * {@link #log(Object, Object)}), an empty completion (output null), an error
	 * ({@code stream_status: error}) or a cancel; with {@code latency_ms}.
	 */
	public <T> Mono<T> logMono(Object input, Mono<T> mono) {
		return MonoLogValue.create(mono, sink, StreamLog.of(input));
	}

	/** As {@link #logMono(Object, Mono)}, for {@code mono.transform(..)}. */
	public <T> Function<Mono<T>, Mono<T>> logMono(Object input) {
		StreamLog<T> spec = StreamLog.of(input);
		return mono -> MonoLogValue.create(mono, sink, spec);
	}

	/** {@code fn}, logging each call: the argument is the input, the result the output; a throw is logged and rethrown. */
	public <I, O> Function<I, O> wrap(Function<? super I, ? extends O> fn) {
		return Wrappers.function(() -> sink, fn, null);
	}

	/** As {@link #wrap(Function)}, with this metadata on every task. */
	public <I, O> Function<I, O> wrap(Function<? super I, ? extends O> fn, Map<String, ?> metadata) {
		return Wrappers.function(() -> sink, fn, Objects.requireNonNull(metadata, "metadata"));
	}

	/** As {@link #wrap(Function)}; the input is {@code {"0": a, "1": b}}. */
	public <A, B, O> BiFunction<A, B, O> wrap(BiFunction<? super A, ? super B, ? extends O> fn) {
		return Wrappers.biFunction(() -> sink, fn, null);
	}

	/** As {@link #wrap(BiFunction)}, with this metadata on every task. */
	public <A, B, O> BiFunction<A, B, O> wrap(BiFunction<? super A, ? super B, ? extends O> fn,
			Map<String, ?> metadata) {
		return Wrappers.biFunction(() -> sink, fn, Objects.requireNonNull(metadata, "metadata"));
	}

	/** As {@link #wrap(Function)}; the input is {@code ""}. */
	public <O> Supplier<O> wrap(Supplier<? extends O> fn) {
		return Wrappers.supplier(() -> sink, fn, null);
	}

	/** As {@link #wrap(Supplier)}, with this metadata on every task. */
	public <O> Supplier<O> wrap(Supplier<? extends O> fn, Map<String, ?> metadata) {
		return Wrappers.supplier(() -> sink, fn, Objects.requireNonNull(metadata, "metadata"));
	}

	/** {@code fn}, each returned {@code Mono} logged as by {@link #logMono(Object, Mono)} with the argument as input. */
	public <I, O> Function<I, Mono<O>> wrapMono(Function<? super I, ? extends Mono<? extends O>> fn) {
		return Wrappers.mono(() -> sink, fn, null);
	}

	/** As {@link #wrapMono(Function)}, with this metadata on every task. */
	public <I, O> Function<I, Mono<O>> wrapMono(Function<? super I, ? extends Mono<? extends O>> fn,
			Map<String, ?> metadata) {
		return Wrappers.mono(() -> sink, fn, Objects.requireNonNull(metadata, "metadata"));
	}

	/** {@code fn}, each returned {@code Flux} logged as by {@link #logStream(Object, Predicate)} with the argument as input. */
	public <I, O> Function<I, Flux<O>> wrapFlux(Function<? super I, ? extends Flux<? extends O>> fn,
			Predicate<? super O> stop) {
		return Wrappers.flux(() -> sink, fn, Objects.requireNonNull(stop, "stop"), null);
	}

	/** As {@link #wrapFlux(Function, Predicate)}, with this metadata on every task. */
	public <I, O> Function<I, Flux<O>> wrapFlux(Function<? super I, ? extends Flux<? extends O>> fn,
			Predicate<? super O> stop, Map<String, ?> metadata) {
		return Wrappers.flux(() -> sink, fn, Objects.requireNonNull(stop, "stop"),
				Objects.requireNonNull(metadata, "metadata"));
	}

	/** What the operators and wrappers hold of this client; for the static facade's wrappers. */
	TaskSink sink() {
		return sink;
	}

	/** From now on, tasks this client can no longer export go to {@code next}; see {@link Phospho#init(PhosphoOptions)}. */
	void handOverTo(PhosphoClient next) {
		pipeline.handOverTo(next.pipeline);
	}

	/**
	 * Sends a user's evaluation of a logged task, as the Python {@code phospho.user_feedback}:
	 * {@code POST {baseUrl}/v2/tasks/{taskId}/human-eval} with {@code "source": "user"}. Transient
	 * failures are retried as exports are; a refusal (4xx) is logged once with what to check. It goes
	 * through the HTTP exporter's connections, or, when tasks go to another exporter, through one
	 * API client of the client's own, with the {@link PhosphoOptionsBuilder#httpExporter} settings,
	 * created at the first call and closed by {@link #shutdown()}.
	 *
	 * @param taskId the {@link LoggedTask#taskId()} of the task
	 * @param flag   {@link Flag#SUCCESS} or {@link Flag#FAILURE}
	 * @param notes  free text, or {@code null}
	 * @return completes when the API accepted the feedback; errors with a
	 *         {@link ai.phospho.reactive.export.PhosphoExportException} when it could not be
	 *         delivered, with an {@link IllegalStateException} when no API key and project id are
	 *         configured, or with a {@link PhosphoOptionsException} when the HTTP settings are invalid
	 */
	public Mono<Void> userFeedback(String taskId, Flag flag, @Nullable String notes) {
		Objects.requireNonNull(taskId, "taskId");
		Objects.requireNonNull(flag, "flag");
		return feedback.send(taskId, flag, notes, this::isShutdown);
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
		return pipeline.shutdown().then(Mono.defer(feedback::close)).doFinally(s -> removeShutdownHook());
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
		return "PhosphoClient{" + options + ", exporter=" + exporter + '}';
	}
}

package ai.phospho.reactive;

import ai.phospho.reactive.internal.Callbacks;
import ai.phospho.reactive.internal.Failures;
import ai.phospho.reactive.internal.Ids;
import org.jspecify.annotations.Nullable;
import reactor.util.context.ContextView;

/**
 * What every capture shares: the task's input side, its ending (status, error, what failed,
 * latency), and the one emit that turns it into a task through {@link TaskBuilder} and hands it to
 * the {@link TaskSink}. Subclasses gather the output.
 */
abstract class AbstractCapture<T> implements Capture<T> {

	final TaskSink sink;
	final StreamLog<T> spec;
	final ContextValues context;
	final int maxChars;
	final long startMillis;
	final long startNanos;
	/** The task's listeners, told at subscribe (now) and when the task is built. */
	private final Listening listening;
	/** The first thing that failed while capturing, for {@code capture_error}; from any thread. */
	private volatile @Nullable String failure;

	AbstractCapture(TaskSink sink, StreamLog<T> spec, ContextView subscriberContext, ContextValues context) {
		this.sink = sink;
		this.spec = spec;
		this.context = context;
		this.maxChars = sink.options().maxFieldChars();
		this.startMillis = System.currentTimeMillis();
		this.startNanos = System.nanoTime();
		this.listening = Listening.start(sink.options(), subscriberContext);
	}

	/**
	 * Capture failed on something the library does (reading a chunk, assembling the task): the
	 * stream never sees it; the task is logged with what could be read, says so in
	 * {@code capture_error}, and is counted in {@code stats().captureErrors()}. Reported once per cause.
	 */
	@Override
	public final void failed(String what, Throwable e) {
		Failures.throwIfFatal(e);
		recordFailure(what + " threw " + Failures.describe(e));
		Callbacks.reportOnce("capture:" + e.getClass().getName(), "phospho: " + what
				+ " failed; the task is logged with what could be read", e);
	}

	/** Records a failure that was reported already (a user callback's). */
	final void recordFailure(String reason) {
		if (failure == null) {
			failure = reason;
		}
	}

	@Override
	public final void emit(Status status, @Nullable Throwable error) {
		long end = System.nanoTime();
		String session = null;
		if (!sink.sampler().keepsAll()) {
			session = spec.sessionId != null ? spec.sessionId : context.sessionId();
			session = session != null ? session : Ids.newSessionId();
			// Decided before anything is built: a sampled-out stream costs its chunks' accumulation only.
			if (!sink.sampled(session, spec.flag != null, status == Status.ERROR || error != null)) {
				listening.discard();
				return;
			}
		}
		LoggedTask task;
		try {
			task = build(status, error, end, session);
		}
		catch (Throwable e) {
			failed("assembling the task", e);
			task = new TaskBuilder(sink.options(), context, startMillis).fact("stream_status", status.wire)
					.fact(TaskBuilder.CAPTURE_ERROR, String.valueOf(failure))
					.identity(session != null ? session : spec.sessionId, spec.taskId, spec.userId, spec.versionId)
					.listened(listening).build();
		}
		if (failure != null) {
			sink.captureFailed();
		}
		sink.submit(task);
		listening.end(task);
	}

	private LoggedTask build(Status status, @Nullable Throwable error, long endNanos, @Nullable String session) {
		Object input = spec.inputFromContext && context.input() != null ? context.input() : spec.input;
		TaskBuilder b = new TaskBuilder(sink.options(), context, startMillis)
				.input(input, spec.inputToString, spec.rawInputSet, spec.rawInput);
		output(b, endNanos);
		b.metadata(spec.metadata).fact("stream_status", status.wire);
		if (error != null) {
			b.fact("error", Failures.describe(error));
		}
		String f = failure;
		if (f != null) {
			b.fact(TaskBuilder.CAPTURE_ERROR, f);
		}
		timing(b, endNanos);
		return b.extras(spec.extras).identity(session != null ? session : spec.sessionId, spec.taskId, spec.userId,
				spec.versionId)
				.flag(spec.flag).listened(listening).build();
	}

	/** Gives the builder the output gathered so far. */
	abstract void output(TaskBuilder b, long endNanos);

	/** Adds the counts and timings of the capture ({@code latency_ms} at least). */
	abstract void timing(TaskBuilder b, long endNanos);
}

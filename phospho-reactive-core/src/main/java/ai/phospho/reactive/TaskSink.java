package ai.phospho.reactive;

import ai.phospho.reactive.internal.Ids;
import ai.phospho.reactive.internal.Sampler;
import org.jspecify.annotations.Nullable;
import reactor.util.context.Context;

/**
 * What the operators and wrappers need of a client, and all they hold: its options, and where a
 * finished task goes. So the flow reads one way: caller, operator, sink, pipeline, exporter.
 */
interface TaskSink {

	PhosphoOptions options();

	/** Queues a finished task; never throws, never blocks. */
	void submit(LoggedTask task);

	/** Counts a task whose capture failed in part (see {@link PhosphoStats#captureErrors()}). */
	void captureFailed();

	/** The decision of {@link PhosphoOptions#sampleRate()}. */
	Sampler sampler();

	/** Counts a task whose session was sampled out (see {@link PhosphoStats#sampledOut()}). */
	void sampledOut();

	/**
	 * Whether a task of {@code sessionId} is logged; a task that is not is counted. Cheap: a hash of
	 * the id, before anything of the task is built.
	 */
	default boolean sampled(String sessionId, boolean flagged, boolean error) {
		PhosphoOptions o = options();
		if (sampler().keeps(sessionId) || (flagged && o.sampleKeepFlagged()) || (error && o.sampleKeepErrors())) {
			return true;
		}
		sampledOut();
		return false;
	}

	/**
	 * At subscribe: whether a capture's task is sampled out already, so that the stream passes
	 * through with nothing captured (counted now). Only when its session is known and errors are not
	 * kept: an error is known at the end only, and a task without a session is decided when it ends.
	 */
	default boolean sampledOutAtSubscribe(StreamLog<?> spec, ContextValues context) {
		if (sampler().keepsAll() || options().sampleKeepErrors()) {
			return false;
		}
		String session = spec.sessionId != null ? spec.sessionId : context.sessionId();
		return session != null && !sampled(session, spec.flag != null, false);
	}

	/**
	 * Builds, counts and queues the task of a {@link TaskLog}, with the values current on the thread
	 * ({@link PhosphoContext}); never throws but for a JVM error. A task whose session is sampled out
	 * is not built: what is returned holds its ids only, and is not exported.
	 */
	default LoggedTask log(TaskLog<?, ?> log) {
		ContextValues context = PhosphoContext.current();
		String session = null;
		if (!sampler().keepsAll()) {
			session = log.sessionId != null ? log.sessionId : context != null ? context.sessionId() : null;
			// A task without a session is a session of its own: the id it is given decides.
			session = session != null ? session : Ids.newSessionId();
			boolean error = log.metadata != null && log.metadata.containsKey("error");
			if (!sampled(session, log.flag != null, error)) {
				return TaskBuilder.idsOnly(log, options(), context, session);
			}
		}
		// log() has no subscriber: listeners look at their own current context (a thread-local span).
		Listening listening = Listening.start(options(), Context.empty());
		return queued(TaskBuilder.of(log, options(), context, session, listening), listening);
	}

	/**
	 * As {@link #log(TaskLog)} with {@code TaskLog.of(input).output(output)}, without making that
	 * {@code TaskLog} when every session is kept (the sampling of the others needs it).
	 */
	default LoggedTask log(Object input, @Nullable Object output) {
		if (!sampler().keepsAll()) {
			return log(TaskLog.of(input).output(output));
		}
		ContextValues context = PhosphoContext.current();
		Listening listening = Listening.start(options(), Context.empty());
		return queued(TaskBuilder.of(input, output, options(), context, listening), listening);
	}

	/** Counts a task whose capture failed in part, queues it, and tells its listeners. */
	private LoggedTask queued(LoggedTask t, Listening listening) {
		if (t.metadata().containsKey(TaskBuilder.CAPTURE_ERROR)) {
			captureFailed();
		}
		submit(t);
		listening.end(t);
		return t;
	}
}

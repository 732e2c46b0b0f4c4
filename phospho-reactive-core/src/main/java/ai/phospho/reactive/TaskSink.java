package ai.phospho.reactive;

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

	/** Builds, counts and queues the task of a {@link TaskLog}; never throws but for a JVM error. */
	default LoggedTask log(TaskLog<?, ?> log) {
		// log() has no subscriber: listeners look at their own current context (a thread-local span).
		Listening listening = Listening.start(options(), Context.empty());
		LoggedTask t = TaskBuilder.of(log, options(), null, listening);
		if (t.metadata().containsKey(TaskBuilder.CAPTURE_ERROR)) {
			captureFailed();
		}
		submit(t);
		listening.end(t);
		return t;
	}
}

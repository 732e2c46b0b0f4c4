package ai.phospho.reactive.export;

import java.util.Map;

import ai.phospho.reactive.LoggedTask;
import org.jspecify.annotations.Nullable;
import reactor.util.context.ContextView;

/**
 * Told when each task starts and ends, for a side output such as tracing spans and metrics
 * ({@code phospho-reactive-otel}); registered with
 * {@link ai.phospho.reactive.PhosphoOptionsBuilder#addTaskListener(TaskListener)}.
 *
 * <pre>{@code
 * PhosphoOptions.builder().addTaskListener(new TaskListener() {
 *     public Object onStart(ContextView context) { return System.nanoTime(); }
 *     public void onEnd(LoggedTask task, Object start) { record(task, System.nanoTime() - (long) start); }
 * });
 * }</pre>
 *
 * <p>Called once per task, never per chunk. A listener that throws is reported once (naming its
 * class) and skipped for that call: it never breaks the caller, the stream or the task.
 */
public interface TaskListener {

	/**
	 * A task starts: {@code log} is called, or a stream or {@code Mono} is subscribed; on that thread,
	 * once. Must not block: it may run on an event loop.
	 *
	 * @param context the subscriber's Reactor context; empty for {@code log}
	 * @return this listener's state for the task, given back to {@link #metadata} and {@link #onEnd};
	 *         or {@code null}
	 */
	@Nullable Object onStart(ContextView context);

	/**
	 * Entries this listener adds to the task's metadata (such as {@code trace_id} and {@code span_id}),
	 * called while the task is built; the task's own entries win over them. None by default.
	 */
	default Map<String, Object> metadata(@Nullable Object state) {
		return Map.of();
	}

	/**
	 * The task is built: on the thread that built it (the caller's, the stream's, or a cancelling
	 * one), once it is queued for export. Must not block.
	 *
	 * @param state what {@link #onStart} returned for this task
	 */
	void onEnd(LoggedTask task, @Nullable Object state);

	/**
	 * The task that started will not be logged: sampling left it out when it ended
	 * ({@link ai.phospho.reactive.PhosphoOptionsBuilder#sampleRate(double)}). End what {@link #onStart}
	 * began. Nothing by default.
	 */
	default void onDiscard(@Nullable Object state) {
	}
}

package ai.phospho.reactive;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.phospho.reactive.export.TaskListener;
import ai.phospho.reactive.internal.Callbacks;
import ai.phospho.reactive.internal.Failures;
import org.jspecify.annotations.Nullable;
import reactor.util.context.ContextView;

/**
 * The {@link TaskListener}s of one task and the state each returned at its start. Every call is
 * guarded: a listener that throws is reported once per class and skipped, so that it never reaches
 * the caller, the stream or the task. Without listeners a task shares {@link #NONE}, at no cost.
 */
final class Listening {

	static final Listening NONE = new Listening(List.of());

	private final List<TaskListener> listeners;
	private final @Nullable Object[] states;

	private Listening(List<TaskListener> listeners) {
		this.listeners = listeners;
		this.states = new Object[listeners.size()];
	}

	/** Tells the options' listeners that a task starts, on this thread. */
	static Listening start(PhosphoOptions options, ContextView context) {
		List<TaskListener> all = options.taskListeners();
		if (all.isEmpty()) {
			return NONE;
		}
		Listening l = new Listening(all);
		for (int i = 0; i < all.size(); i++) {
			TaskListener listener = all.get(i);
			try {
				l.states[i] = listener.onStart(context);
			}
			catch (Throwable e) {
				failed(listener, "onStart", e);
			}
		}
		return l;
	}

	/** The entries the listeners add to the task's metadata; null when there are none. */
	@Nullable Map<String, Object> metadata() {
		Map<String, Object> out = null;
		for (int i = 0; i < listeners.size(); i++) {
			TaskListener listener = listeners.get(i);
			try {
				Map<String, Object> m = listener.metadata(states[i]);
				if (m != null && !m.isEmpty()) {
					if (out == null) {
						out = new LinkedHashMap<>();
					}
					out.putAll(m);
				}
			}
			catch (Throwable e) {
				failed(listener, "metadata", e);
			}
		}
		return out;
	}

	/** Tells the listeners that {@code task} was built. */
	void end(LoggedTask task) {
		for (int i = 0; i < listeners.size(); i++) {
			TaskListener listener = listeners.get(i);
			try {
				listener.onEnd(task, states[i]);
			}
			catch (Throwable e) {
				failed(listener, "onEnd", e);
			}
		}
	}

	/** Tells the listeners that the task they saw start will not be logged (sampled out). */
	void discard() {
		for (int i = 0; i < listeners.size(); i++) {
			TaskListener listener = listeners.get(i);
			try {
				listener.onDiscard(states[i]);
			}
			catch (Throwable e) {
				failed(listener, "onDiscard", e);
			}
		}
	}

	private static void failed(TaskListener listener, String method, Throwable e) {
		Failures.throwIfFatal(e);
		String name = listener.getClass().getName();
		Callbacks.reportOnce("listener:" + name + "." + method,
				"phospho: TaskListener " + name + "." + method + " threw; it is skipped for this task", e);
	}
}

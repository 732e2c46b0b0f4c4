package ai.phospho.reactive;

import org.jspecify.annotations.Nullable;
import reactor.util.context.ContextView;

/**
 * The capture of a {@code Mono}: its one value is the output, extracted as {@code log} extracts
 * it, and the task is logged as the value arrives, since a {@code Mono}'s value is its success.
 */
final class ValueCapture<T> extends AbstractCapture<T> {

	private volatile @Nullable T value;

	ValueCapture(TaskSink sink, StreamLog<T> spec, ContextView subscriberContext, ContextValues context) {
		super(sink, spec, subscriberContext, context);
	}

	@Override
	public Status signal(T t) {
		value = t;
		return Status.COMPLETED;
	}

	@Override
	void output(TaskBuilder b, long endNanos) {
		T v = value;
		if (v != null) {
			b.output(v, spec.outputToString, false, null);
		}
	}

	@Override
	void timing(TaskBuilder b, long endNanos) {
		b.fact("latency_ms", (endNanos - startNanos) / 1_000_000);
	}
}

package ai.phospho.reactive;

import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;

/**
 * Logs each subscription to a {@code Mono} as one task: its value (logged when it arrives, since a
 * {@code Mono}'s value is its success), an empty completion, an error or a cancel; see
 * {@link PhosphoClient#logMono(Object, Mono)}.
 */
final class MonoLogValue<T> extends MonoOperator<T, T> {

	final TaskSink sink;
	final StreamLog<? super T> spec;

	private MonoLogValue(Mono<? extends T> source, TaskSink sink, StreamLog<? super T> spec) {
		super(source);
		this.sink = sink;
		this.spec = spec;
	}

	static <T> Mono<T> create(Mono<? extends T> source, TaskSink sink, StreamLog<? super T> spec) {
		return onAssembly(new MonoLogValue<>(source, sink, spec));
	}

	@Override
	@SuppressWarnings("unchecked")
	public void subscribe(CoreSubscriber<? super T> actual) {
		ContextValues context = PhosphoContext.read(actual.currentContext());
		if (sink.sampledOutAtSubscribe(spec, context)) {
			// Sampled out: not captured at all, the subscriber sees the source directly.
			source.subscribe(actual);
			return;
		}
		ValueCapture<T> capture = new ValueCapture<>(sink, (StreamLog<T>) spec, actual.currentContext(), context);
		source.subscribe(new LogStreamSubscriber<T>(actual, capture));
	}

	@Override
	@SuppressWarnings("rawtypes")
	public @Nullable Object scanUnsafe(Attr key) {
		if (key == Attr.RUN_STYLE) {
			return Attr.RunStyle.SYNC;
		}
		return super.scanUnsafe(key);
	}
}

package ai.phospho.reactive;

import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;

/**
 * Logs each subscription to a {@code Flux} of chunks as one task, passing the stream through
 * untouched; see {@link PhosphoClient#logStream(StreamLog)}.
 */
final class FluxLogStream<T> extends FluxOperator<T, T> {

	final TaskSink sink;
	final StreamLog<? super T> spec;

	private FluxLogStream(Flux<? extends T> source, TaskSink sink, StreamLog<? super T> spec) {
		super(source);
		this.sink = sink;
		this.spec = spec;
	}

	static <T> Flux<T> create(Flux<? extends T> source, TaskSink sink, StreamLog<? super T> spec) {
		return onAssembly(new FluxLogStream<>(source, sink, spec));
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
		StreamCapture<T> capture = new StreamCapture<>(sink, (StreamLog<T>) spec, actual.currentContext(), context);
		source.subscribe(new LogStreamSubscriber<T>(actual, capture));
	}

	@Override
	public int getPrefetch() {
		return source.getPrefetch();
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

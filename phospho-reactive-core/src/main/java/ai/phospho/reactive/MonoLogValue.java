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

	final PhosphoClient client;
	final StreamLog<? super T> spec;

	private MonoLogValue(Mono<? extends T> source, PhosphoClient client, StreamLog<? super T> spec) {
		super(source);
		this.client = client;
		this.spec = spec;
	}

	static <T> Mono<T> create(Mono<? extends T> source, PhosphoClient client, StreamLog<? super T> spec) {
		return onAssembly(new MonoLogValue<>(source, client, spec));
	}

	@Override
	@SuppressWarnings("unchecked")
	public void subscribe(CoreSubscriber<? super T> actual) {
		StreamCapture<T> capture = new StreamCapture<>(client, (StreamLog<T>) spec,
				PhosphoContext.read(actual.currentContext()), true);
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

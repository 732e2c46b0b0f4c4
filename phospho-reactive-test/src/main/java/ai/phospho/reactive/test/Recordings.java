package ai.phospho.reactive.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * What {@link MockPhosphoServer} received and stored, under one lock, with waiters that complete
 * as soon as a condition on the recordings holds.
 */
final class Recordings {

	final List<RecordedRequest> requests = new ArrayList<>();
	final List<List<Map<String, @Nullable Object>>> batches = new ArrayList<>();
	final List<Map<String, @Nullable Object>> events = new ArrayList<>();
	final List<RecordedFeedback> feedback = new ArrayList<>();
	private final List<Waiter<?>> waiters = new ArrayList<>();

	private record Waiter<T>(Function<Recordings, @Nullable T> condition, MonoSink<T> sink) {

		/** What completes the sink, when the condition holds; evaluated under the lock, run outside it. */
		@Nullable Runnable ready(Recordings r) {
			T value = condition.apply(r);
			return value == null ? null : () -> sink.success(value);
		}
	}

	void request(RecordedRequest r) {
		record(() -> requests.add(r));
	}

	void batch(List<Map<String, @Nullable Object>> stored) {
		record(() -> {
			batches.add(Collections.unmodifiableList(new ArrayList<>(stored)));
			events.addAll(stored);
		});
	}

	void feedback(RecordedFeedback f) {
		record(() -> feedback.add(f));
	}

	/** Records under the lock, then completes the waiters whose condition now holds, outside it. */
	private void record(Runnable change) {
		List<Runnable> ready = new ArrayList<>();
		synchronized (this) {
			change.run();
			for (Iterator<Waiter<?>> it = waiters.iterator(); it.hasNext(); ) {
				Runnable r = it.next().ready(this);
				if (r != null) {
					it.remove();
					ready.add(r);
				}
			}
		}
		ready.forEach(Runnable::run);
	}

	synchronized List<RecordedRequest> requests() {
		return List.copyOf(requests);
	}

	synchronized List<List<Map<String, @Nullable Object>>> batches() {
		return List.copyOf(batches);
	}

	synchronized List<Map<String, @Nullable Object>> events() {
		return List.copyOf(events);
	}

	synchronized List<RecordedFeedback> feedback() {
		return List.copyOf(feedback);
	}

	synchronized void clear() {
		requests.clear();
		batches.clear();
		events.clear();
		feedback.clear();
	}

	/** A Mono of the condition's first non-null value, evaluated now and after each recording. */
	<T> Mono<T> when(Function<Recordings, @Nullable T> condition) {
		return Mono.create(sink -> {
			Waiter<T> w = new Waiter<>(condition, sink);
			Runnable now;
			synchronized (this) {
				now = w.ready(this);
				if (now == null) {
					waiters.add(w);
				}
			}
			if (now != null) {
				now.run();
				return;
			}
			sink.onDispose(() -> {
				synchronized (this) {
					waiters.remove(w);
				}
			});
		});
	}

	/** Blocks on {@code mono}; an {@link AssertionError} naming what was expected after {@code timeout}. */
	static <T> T await(Mono<T> mono, Duration timeout, Supplier<String> expected) {
		try {
			T value = mono.timeout(timeout).block();
			if (value == null) {
				throw new AssertionError("expected " + expected.get());
			}
			return value;
		}
		catch (RuntimeException e) {
			if (e.getCause() instanceof TimeoutException) {
				throw new AssertionError("expected within " + timeout + ": " + expected.get(), e);
			}
			throw e;
		}
	}
}

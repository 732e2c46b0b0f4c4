package ai.phospho.reactive;

import org.jspecify.annotations.Nullable;

/**
 * What one subscription gathers for its task, fed by {@link LogStreamSubscriber}: the chunks of a
 * {@code Flux} ({@link StreamCapture}) or the value of a {@code Mono} ({@link ValueCapture}).
 * {@link #signal} comes from the signal thread; {@link #emit} once, from that thread or a cancelling one.
 */
interface Capture<T> {

	/** How a captured stream ended, as the {@code stream_status} metadata value. */
	enum Status {
		COMPLETED("completed"), STOPPED("stopped"), CANCELLED("cancelled"), ERROR("error");

		final String wire;

		Status(String wire) {
			this.wire = wire;
		}
	}

	/**
	 * Gathers one value; may throw, the subscriber then reports it through {@link #failed}.
	 *
	 * @return how the stream ends at this value, or {@code null} when it goes on
	 */
	@Nullable Status signal(T t);

	/** Builds the task and queues it; never throws but for a JVM error. */
	void emit(Status status, @Nullable Throwable error);

	/** Something the library does with a value failed: recorded on the task, reported once. */
	void failed(String what, Throwable e);
}

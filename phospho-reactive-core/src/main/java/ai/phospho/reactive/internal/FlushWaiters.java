package ai.phospho.reactive.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.MonoSink;

/**
 * The flushes waiting for the worker. A flush arrives from any thread; the worker gives it a
 * target (the count of tasks taken from the queue once everything accepted before it is taken)
 * and completes it once every task up to that target is done: exported, failed or settled.
 */
final class FlushWaiters {

	private final Queue<MonoSink<Void>> arriving = new ConcurrentLinkedQueue<>();
	// Worker only.
	private final List<Waiter> waiting = new ArrayList<>();

	/** Any thread; the caller then wakes the worker. */
	void arrive(MonoSink<Void> sink) {
		arriving.offer(sink);
	}

	/** Worker only: the next flush that has no target yet. */
	@Nullable MonoSink<Void> pollArrived() {
		return arriving.poll();
	}

	/** Worker only. */
	void await(MonoSink<Void> sink, long target) {
		waiting.add(new Waiter(sink, target));
	}

	/** Worker only: completes the flushes whose tasks are all done. */
	void completeUpTo(long done) {
		if (waiting.isEmpty()) {
			return;
		}
		for (Iterator<Waiter> it = waiting.iterator(); it.hasNext(); ) {
			Waiter w = it.next();
			if (w.target <= done) {
				it.remove();
				w.sink.success();
			}
		}
	}

	/** Worker only (or whoever holds its work counter): nothing more will be exported, every flush is as done as it will be. */
	void completeAll() {
		for (Waiter w : waiting) {
			w.sink.success();
		}
		waiting.clear();
		MonoSink<Void> sink;
		while ((sink = arriving.poll()) != null) {
			sink.success();
		}
	}

	private record Waiter(MonoSink<Void> sink, long target) {
	}
}

package ai.phospho.reactive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A test exporter that keeps every batch in memory. It can be stalled: while the gate is closed,
 * the {@code Mono} of every export stays pending, so the batch stays held by the pipeline; batches
 * are recorded when their export completes, that is after {@link #release()}.
 */
final class RecordingExporter implements TaskExporter {

	private final List<List<LoggedTask>> batches = new ArrayList<>();
	private final AtomicInteger calls = new AtomicInteger();
	private final AtomicInteger inFlight = new AtomicInteger();
	private final AtomicInteger maxInFlight = new AtomicInteger();
	private final AtomicBoolean shutdown = new AtomicBoolean();
	private final Sinks.Empty<Void> gate = Sinks.empty();
	private final boolean stalled;
	private final Duration delay;

	private RecordingExporter(boolean stalled, Duration delay) {
		this.stalled = stalled;
		this.delay = delay;
	}

	/** Exports at once. */
	static RecordingExporter immediate() {
		return new RecordingExporter(false, Duration.ZERO);
	}

	/** Every export completes only after {@link #release()}. */
	static RecordingExporter stalled() {
		return new RecordingExporter(true, Duration.ZERO);
	}

	/** Every export completes after {@code delay}, on a timer thread. */
	static RecordingExporter delayed(Duration delay) {
		return new RecordingExporter(false, delay);
	}

	@Override
	public Mono<ExportResult> export(List<LoggedTask> batch) {
		calls.incrementAndGet();
		maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
		List<LoggedTask> copy = List.copyOf(batch);
		Mono<Void> wait = stalled ? gate.asMono() : delay.isZero() ? Mono.empty() : Mono.delay(delay).then();
		return wait.then(Mono.fromCallable(() -> {
			// Before the result is signalled: the pipeline may start the next export at once.
			inFlight.decrementAndGet();
			synchronized (batches) {
				batches.add(copy);
				batches.notifyAll();
			}
			return ExportResult.accepted(copy.size());
		})).doOnCancel(inFlight::decrementAndGet);
	}

	@Override
	public Mono<Void> shutdown() {
		return Mono.fromRunnable(() -> shutdown.set(true));
	}

	void release() {
		gate.tryEmitEmpty();
	}

	/** How many times {@link #export} was called, completed or not. */
	int calls() {
		return calls.get();
	}

	/** The most exports that were pending at once. */
	int maxInFlight() {
		return maxInFlight.get();
	}

	boolean wasShutdown() {
		return shutdown.get();
	}

	List<List<LoggedTask>> batches() {
		synchronized (batches) {
			return List.copyOf(batches);
		}
	}

	List<LoggedTask> tasks() {
		List<LoggedTask> all = new ArrayList<>();
		synchronized (batches) {
			for (List<LoggedTask> b : batches) {
				all.addAll(b);
			}
		}
		return all;
	}

	/** Waits until at least {@code count} tasks were exported; false on timeout. */
	boolean awaitTasks(int count, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (batches) {
			for (;;) {
				int n = 0;
				for (List<LoggedTask> b : batches) {
					n += b.size();
				}
				if (n >= count) {
					return true;
				}
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				TimeUnit.NANOSECONDS.timedWait(batches, left);
			}
		}
	}
}

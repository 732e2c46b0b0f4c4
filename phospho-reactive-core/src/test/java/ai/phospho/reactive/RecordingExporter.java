package ai.phospho.reactive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import ai.phospho.reactive.export.ExportResult;
import ai.phospho.reactive.export.TaskExporter;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A test exporter that keeps every batch in memory (or only counts the tasks, for tests that must
 * not retain them). It can be stalled: while the gate is closed, the {@code Mono} of every export
 * stays pending, so the batch stays held by the pipeline; batches are recorded when their export
 * completes, that is after {@link #release()}.
 */
public final class RecordingExporter implements TaskExporter {

	private final List<List<LoggedTask>> batches = new ArrayList<>();
	private final AtomicInteger calls = new AtomicInteger();
	private final AtomicLong count = new AtomicLong();
	private final AtomicInteger inFlight = new AtomicInteger();
	private final AtomicInteger maxInFlight = new AtomicInteger();
	private final AtomicBoolean shutdown = new AtomicBoolean();
	private final Sinks.Empty<Void> gate = Sinks.empty();
	private final boolean stalled;
	private final Duration delay;
	private final boolean keep;

	private RecordingExporter(boolean stalled, Duration delay, boolean keep) {
		this.stalled = stalled;
		this.delay = delay;
		this.keep = keep;
	}

	/** Exports at once. */
	public static RecordingExporter immediate() {
		return new RecordingExporter(false, Duration.ZERO, true);
	}

	/** Exports at once and only counts the tasks: nothing is retained. */
	public static RecordingExporter counting() {
		return new RecordingExporter(false, Duration.ZERO, false);
	}

	/** Every export completes only after {@link #release()}. */
	public static RecordingExporter stalled() {
		return new RecordingExporter(true, Duration.ZERO, true);
	}

	/** Every export completes after {@code delay}, on a timer thread. */
	public static RecordingExporter delayed(Duration delay) {
		return new RecordingExporter(false, delay, true);
	}

	@Override
	public Mono<ExportResult> export(List<LoggedTask> batch) {
		calls.incrementAndGet();
		maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
		List<LoggedTask> copy = keep ? List.copyOf(batch) : List.of();
		int size = batch.size();
		Mono<Void> wait = stalled ? gate.asMono() : delay.isZero() ? Mono.empty() : Mono.delay(delay).then();
		return wait.then(Mono.fromCallable(() -> {
			// Before the result is signalled: the pipeline may start the next export at once.
			inFlight.decrementAndGet();
			count.addAndGet(size);
			if (keep) {
				synchronized (batches) {
					batches.add(copy);
					batches.notifyAll();
				}
			}
			return ExportResult.accepted(size);
		})).doOnCancel(inFlight::decrementAndGet);
	}

	@Override
	public Mono<Void> shutdown() {
		return Mono.fromRunnable(() -> shutdown.set(true));
	}

	public void release() {
		gate.tryEmitEmpty();
	}

	/** How many times {@link #export} was called, completed or not. */
	public int calls() {
		return calls.get();
	}

	/** The most exports that were pending at once. */
	public int maxInFlight() {
		return maxInFlight.get();
	}

	public boolean wasShutdown() {
		return shutdown.get();
	}

	public List<List<LoggedTask>> batches() {
		synchronized (batches) {
			return List.copyOf(batches);
		}
	}

	public List<LoggedTask> tasks() {
		List<LoggedTask> all = new ArrayList<>();
		synchronized (batches) {
			for (List<LoggedTask> b : batches) {
				all.addAll(b);
			}
		}
		return all;
	}

	/** Tasks exported, counted also when they are not kept. */
	public long count() {
		return count.get();
	}

	/** A client exporting here, without a shutdown hook, with a large queue and a short linger. */
	PhosphoClient client() {
		return client(PhosphoOptions.DEFAULT_MAX_FIELD_CHARS);
	}

	PhosphoClient client(int maxFieldChars) {
		return PhosphoClient.create(PhosphoOptions.builder()
				.exporter(this)
				.shutdownHook(false)
				.maxQueueSize(100_000)
				.lingerDelay(Duration.ofMillis(20))
				.maxFieldChars(maxFieldChars)
				.build());
	}

	/** Flushes {@code client} and returns every task exported so far. */
	public List<LoggedTask> flushed(PhosphoClient client) {
		client.flush().block(Duration.ofSeconds(5));
		return tasks();
	}

	/** Flushes {@code client} until at least {@code n} tasks were exported (tasks logged on other threads), at most 5 s. */
	public List<LoggedTask> await(PhosphoClient client, int n) {
		return Mono.defer(() -> client.flush().then(Mono.fromSupplier(this::tasks)))
				.filter(tasks -> tasks.size() >= n)
				.repeatWhenEmpty(attempts -> attempts.delayElements(Duration.ofMillis(10)))
				.block(Duration.ofSeconds(5));
	}

	/** Flushes {@code client} and returns the one task exported so far. */
	LoggedTask only(PhosphoClient client) {
		List<LoggedTask> all = flushed(client);
		if (all.size() != 1) {
			throw new AssertionError("expected exactly one task, got " + all.size() + ": " + all);
		}
		return all.get(0);
	}

	/** Waits until at least {@code count} tasks were exported; false on timeout. */
	public boolean awaitTasks(int count, Duration timeout) throws InterruptedException {
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

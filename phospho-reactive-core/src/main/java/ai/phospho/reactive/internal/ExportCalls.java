package ai.phospho.reactive.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.export.ExportListener;
import ai.phospho.reactive.export.ExportResult;
import ai.phospho.reactive.export.TaskExporter;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Where batches meet the exporter: on a thread of its own, {@code phospho-export-call}, in the
 * order they were cut, never on the worker, so that an exporter that blocks, against its contract,
 * holds neither the worker nor the shutdown timeout.
 *
 * <p>Whatever the exporter does (throws, even a {@code LinkageError}; returns {@code null}; signals
 * twice; never signals), each export ends exactly once: an export still running after
 * {@code exportTimeout} is cancelled (its pending retries with it) and fails with a
 * {@link TimeoutException}, so that it cannot hold an export slot forever.
 */
final class ExportCalls {

	private final TaskExporter exporter;
	private final ExportListener listener;
	private final Duration timeout;
	private final Scheduler thread = Schedulers.newSingle("phospho-export-call", true);
	/** The subscriptions of the exports in flight, cancelled when shutdown times out. */
	private final Disposable.Composite running = Disposables.composite();

	ExportCalls(TaskExporter exporter, ExportListener listener, Duration timeout) {
		this.exporter = exporter;
		this.listener = listener;
		this.timeout = timeout;
	}

	/**
	 * Starts the export of {@code b}; its terminal signal goes to {@code done} once, from whichever
	 * thread it arrives on. The timeout is measured on {@code timer} (the worker), where the
	 * cancellation of a stuck export then runs.
	 */
	void start(Batch b, Scheduler timer, Consumer<Batch> done) {
		try {
			Disposable d = Mono.defer(() -> call(b.tasks)).subscribeOn(thread)
					.timeout(timeout, Mono.error(() -> timedOut(b)), timer)
					.subscribe(r -> b.result = r, e -> complete(b, e, done), () -> complete(b, null, done));
			b.subscription = d;
			if (!running.add(d)) {
				// Shutdown already cancelled everything in flight.
				d.dispose();
			}
			else if (b.completed.get()) {
				// It completed before subscribe returned: complete() could not see the subscription.
				running.remove(d);
			}
		}
		catch (Throwable e) {
			// subscribe itself threw (a scheduler that is gone, an out-of-memory): the batch failed.
			complete(b, e, done);
		}
	}

	private TimeoutException timedOut(Batch b) {
		return new TimeoutException("the export of " + b.tasks.size() + " tasks did not complete within exportTimeout ("
				+ timeout + "); it was cancelled");
	}

	/** The exporter's Mono; what it throws (even a {@code LinkageError}, which reactor treats as fatal) as an error. */
	private Mono<ExportResult> call(List<LoggedTask> tasks) {
		Mono<ExportResult> export;
		try {
			export = exporter.export(tasks, listener);
		}
		catch (Throwable e) {
			Failures.throwIfFatal(e);
			return Mono.error(e);
		}
		if (export == null) {
			return Mono.error(new NullPointerException(exporter.getClass().getName() + ".export returned null"));
		}
		return export;
	}

	private void complete(Batch b, @Nullable Throwable error, Consumer<Batch> done) {
		if (!b.completed.compareAndSet(false, true)) {
			return;
		}
		Disposable d = b.subscription;
		if (d != null) {
			running.remove(d);
		}
		b.error = error;
		b.failed = error != null;
		done.accept(b);
	}

	/** Cancels every export in flight, and any started later. */
	void cancelAll() {
		running.dispose();
	}

	/** The exporter's own shutdown, on its thread; a failure is reported and ends it. */
	Mono<Void> shutdownExporter() {
		return Mono.defer(() -> Mono.fromDirect(exporter.shutdown()))
				.subscribeOn(thread)
				.onErrorResume(e -> {
					Reports.warn(ExportStats.LOG, "phospho: exporter shutdown failed: {}", Failures.describe(e));
					return Mono.empty();
				});
	}

	void dispose() {
		OwnSchedulers.dispose(thread);
	}
}

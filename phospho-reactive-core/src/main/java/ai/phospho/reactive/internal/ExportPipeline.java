package ai.phospho.reactive.internal;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.PhosphoStats;
import ai.phospho.reactive.export.TaskExporter;
import reactor.core.publisher.Mono;

/**
 * The bounded export pipeline: callers {@link #offer} finished tasks from any thread, lock-free and
 * in O(1); one worker cuts them into batches and hands each to the {@link TaskExporter}. Internal:
 * not public API.
 *
 * <p>A task flows one way: {@link Admission} (the bounded queue, its overflow policy, the
 * {@code closed} check) -> {@link ExportWorker} (batches by count, bytes and linger, at most
 * {@code maxConcurrentExports} exports at a time) -> {@link ExportCalls} (the exporter, on a thread
 * of its own, each export within {@code exportTimeout}) -> {@link ExportStats} (the outcome).
 * {@link PipelineShutdown} stops it.
 *
 * <p>Nothing is lost uncounted: after {@code shutdown()} completes and every {@code offer} has
 * returned, {@code queued + exported + dropped + failed + rejected + redacted + redactionFailures}
 * adds up to what was offered
 * (less what was {@linkplain #handOverTo handed over}). A task queued after the shutdown had taken
 * its count is settled by the worker, or by the producer itself once the worker is gone: exported,
 * handed over, or counted as dropped.
 */
public final class ExportPipeline {

	private final ExportStats stats;
	private final Admission admission;
	private final ExportWorker worker;
	private final Mono<Void> shutdown;

	public ExportPipeline(TaskExporter exporter, PhosphoOptions options) {
		this.stats = new ExportStats(options.apiKey());
		this.admission = new Admission(options, stats);
		ExportCalls calls = new ExportCalls(exporter, stats.listener(), options.exportTimeout());
		this.worker = new ExportWorker(admission, calls, stats, options);
		PipelineShutdown s = new PipelineShutdown(admission, worker, calls, stats, options.shutdownTimeout());
		this.shutdown = Mono.defer(s::run).cache();
	}

	/**
	 * Queues a task for export.
	 *
	 * @return {@code false} when it was dropped (queue full or pipeline shut down)
	 */
	public boolean offer(LoggedTask task) {
		int held = admission.offer(task);
		if (held >= Admission.LATE) {
			worker.queued(held);
		}
		return held != Admission.REFUSED;
	}

	/**
	 * From now on, what this pipeline would drop because it is shut down goes to {@code next}: the
	 * tasks of threads that still hold the old client when {@code Phospho.init} replaces it.
	 */
	public void handOverTo(ExportPipeline next) {
		if (next != this) {
			admission.handOverTo(next);
		}
	}

	/** Completes when every task accepted before this call has been exported, or has failed for good. */
	public Mono<Void> flush() {
		return worker.flush();
	}

	/** Stops accepting, flushes for up to the shutdown timeout, then releases the exporter. Idempotent. */
	public Mono<Void> shutdown() {
		return shutdown;
	}

	public void captureFailed() {
		stats.captureFailed();
	}

	public void sampledOut() {
		stats.sampledOut();
	}

	public boolean isClosed() {
		return admission.isClosed();
	}

	public PhosphoStats stats() {
		return stats.snapshot(admission.held(), worker.inFlight());
	}
}

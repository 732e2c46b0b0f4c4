package ai.phospho.reactive.internal;

import java.nio.file.Path;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.PhosphoStats;
import ai.phospho.reactive.export.TaskExporter;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The bounded export pipeline: callers {@link #offer} finished tasks from any thread, lock-free and
 * in O(1); one worker cuts them into batches and hands each to the {@link TaskExporter}. Internal:
 * not public API.
 *
 * <p>A task flows one way: {@link Admission} (the bounded queue, its overflow policy, the
 * {@code closed} check) -> {@link ExportWorker} (batches by count, bytes and linger, at most
 * {@code maxConcurrentExports} exports at a time, one more batch cut ahead) -> {@link ExportCalls}
 * (the exporter, on a thread of its own unless it is the library's HTTP exporter, each export within
 * {@code exportTimeout}; the batch cut ahead started by the first export to end) -> {@link ExportStats}
 * (the outcome).
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
	/** With a spool: the worker's counts, whose exports are appends to the spool. */
	private final @Nullable ExportStats spoolStats;
	private final @Nullable SpoolDelivery delivery;

	/**
	 * @throws IllegalStateException naming the directory and the cause when the options' spool
	 *         cannot be used (not writable, or held by another client)
	 */
	public ExportPipeline(TaskExporter exporter, PhosphoOptions options) {
		this.stats = new ExportStats(options.apiKey());
		this.admission = new Admission(options, stats);
		Path dir = options.spool();
		TaskExporter first = exporter;
		ExportStats workerStats = stats;
		if (dir != null) {
			// With a spool the worker's exporter appends to it; the delivery sends what it holds.
			this.delivery = new SpoolDelivery(SpoolDirectory.open(dir, options.spoolMaxBytes()), dir, exporter, stats,
					options);
			this.spoolStats = new ExportStats(options.apiKey());
			first = delivery.writer();
			workerStats = spoolStats;
		}
		else {
			this.delivery = null;
			this.spoolStats = null;
		}
		ExportCalls calls = new ExportCalls(first, workerStats.listener(), options.exportTimeout());
		this.worker = new ExportWorker(admission, calls, workerStats, options);
		PipelineShutdown s = new PipelineShutdown(admission, worker, calls, workerStats, delivery,
				options.shutdownTimeout());
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
		SpoolDelivery d = delivery;
		// With a spool, spooled is not enough: the flush waits for the delivery too.
		return d == null ? worker.flush() : worker.flush().then(d.flush());
	}

	/**
	 * Completes when every task accepted before this call is in the spool, forced to disk (without
	 * a spool: exported); for tests that must know what a crash cannot lose.
	 */
	public Mono<Void> spooled() {
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
		SpoolDelivery d = delivery;
		ExportStats w = spoolStats;
		if (d == null || w == null) {
			return stats.snapshot(admission.held(), worker.inFlight());
		}
		// Spooled tasks are queued; what the worker dropped, redacted or could not spool (its cutter
		// redacts before the spool) is counted with the rest.
		PhosphoStats s = stats.snapshot(0, d.inFlight());
		PhosphoStats ws = w.snapshot(0, 0);
		String lastError = s.lastError() != null ? s.lastError() : ws.lastError();
		return new PhosphoStats(admission.held() + d.pending(), s.exported(), s.dropped() + ws.dropped(),
				s.failed() + ws.failed(), s.rejected(), s.retried(), s.batches(), s.bytes(), s.inFlight(), lastError,
				s.captureErrors(), s.sampledOut() + ws.sampledOut(), s.redacted() + ws.redacted(),
				s.redactionFailures() + ws.redactionFailures());
	}
}

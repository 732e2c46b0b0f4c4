package ai.phospho.reactive.internal;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The pipeline's shutdown: stop admitting, flush for up to the timeout, then give up on what is
 * left (cancelled and counted as dropped), seal, and close the exporter within what is left of the
 * timeout, or half of it if less is left. So it completes within 1.6 times its timeout, whatever
 * the exporter and the worker do.
 */
final class PipelineShutdown {

	private final Admission admission;
	private final ExportWorker worker;
	private final ExportCalls calls;
	private final ExportStats stats;
	private final Duration timeout;
	private final @Nullable SpoolDelivery delivery;

	PipelineShutdown(Admission admission, ExportWorker worker, ExportCalls calls, ExportStats stats,
			@Nullable SpoolDelivery delivery, Duration timeout) {
		this.delivery = delivery;
		this.admission = admission;
		this.worker = worker;
		this.calls = calls;
		this.stats = stats;
		this.timeout = timeout;
	}

	private static final long WORKER_GRACE_NANOS = Duration.ofMillis(250).toNanos();

	/** Runs the shutdown; to be subscribed once (the pipeline caches it). */
	Mono<Void> run() {
		admission.close();
		long deadline = System.nanoTime() + timeout.toNanos();
		// The worker's part gets a tenth more than the flush (a quarter second at least, for a busy
		// machine): a worker stuck in a task's conversion (a getter that never returns) must not hold
		// the shutdown; what it holds stays queued.
		Duration workerPhase = Duration.ofNanos(timeout.toNanos() + Math.max(timeout.toNanos() / 10, WORKER_GRACE_NANOS));
		SpoolDelivery d = delivery;
		// With a spool, the flush waits for the delivery; on timeout what it holds stays in the spool.
		Mono<Void> flush = d == null ? worker.flush() : worker.flush().then(d.flush());
		Mono<Integer> abandon = d == null ? worker.abandon() : worker.abandon().flatMap(n -> d.abandon().thenReturn(n));
		return flush
				.timeout(timeout, abandon
						.doOnNext(n -> Reports.warn(ExportStats.LOG, "phospho: shutdown timed out after {}: {} tasks "
								+ "were not delivered (counted as dropped); last error: {}", timeout, n,
								stats.lastError()))
						.then())
				.then(worker.seal())
				.timeout(workerPhase, Mono.fromRunnable(() -> Reports.warn(ExportStats.LOG, "phospho: shutdown timed "
						+ "out after {} and the export worker did not answer; {} tasks are left undelivered", timeout,
						admission.held())))
				.onErrorResume(e -> Mono.empty())
				.then(closeExporter(deadline, timeout.toNanos() / 2))
				.doFinally(s -> {
					worker.dispose();
					calls.dispose();
					if (d != null) {
						d.dispose();
					}
				});
	}

	/**
	 * Asks the exporter to close, off the worker, and waits for it until the shutdown's deadline,
	 * or {@code closeGraceNanos} if less is left: an exporter whose {@code shutdown()} blocks or
	 * never completes is left behind with a warning.
	 */
	private Mono<Void> closeExporter(long deadline, long closeGraceNanos) {
		SpoolDelivery d = delivery;
		Mono<Void> closing = (d == null ? calls.shutdownExporter() : calls.shutdownExporter().then(d.close())).cache();
		return Mono.defer(() -> {
			closing.subscribe(null, e -> { });
			long left = Math.max(deadline - System.nanoTime(), closeGraceNanos);
			return closing.timeout(Duration.ofNanos(left), Mono.fromRunnable(() -> Reports.warn(ExportStats.LOG,
					"phospho: the exporter did not close within the shutdown timeout; it is left behind")));
		});
	}
}

package ai.phospho.reactive.export;

import java.util.List;

import ai.phospho.reactive.LoggedTask;
import reactor.core.publisher.Mono;

/**
 * Sends batches of finished tasks somewhere: the phospho API ({@link PhosphoHttpExporter}), a JSON
 * Lines file ({@link JsonLinesTaskExporter}), or memory in tests.
 *
 * <p>The export worker calls {@link #export(List)} with at most
 * {@link ai.phospho.reactive.PhosphoOptions#maxConcurrentExports()} batches in flight. An implementation must not block
 * the subscribing thread; it reports per-event refusals through {@link ExportResult} and a failure
 * of the whole batch as an error signal. It never needs to throw: a thrown exception is counted as a
 * failed batch.
 */
public interface TaskExporter {

	/**
	 * Export one batch. The returned {@code Mono} completes (with a result, or empty meaning every
	 * task was accepted) when the batch has been handed over durably, or errors when it was not.
	 */
	Mono<ExportResult> export(List<LoggedTask> batch);

	/**
	 * Export one batch, telling {@code listener} about retries and partial failures as they
	 * happen. The client calls this one; by default it is {@link #export(List)}.
	 */
	default Mono<ExportResult> export(List<LoggedTask> batch, ExportListener listener) {
		return export(batch);
	}

	/** Release resources (connections, files). Called once, after the last export has finished. */
	default Mono<Void> shutdown() {
		return Mono.empty();
	}
}

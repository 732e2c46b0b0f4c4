package ai.phospho.reactive.benchmarks;

import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.export.ExportResult;
import ai.phospho.reactive.export.TaskExporter;
import ai.phospho.reactive.internal.EventWriter;
import reactor.core.publisher.Mono;

/**
 * Writes every task as its event JSON (the bytes the HTTP and JSON-lines exporters send, through
 * {@code EventWriter}, after the size estimate they both make per task) to a stream that only counts
 * them: the library's whole cost of producing the event, without a destination.
 */
final class JsonWritingExporter implements TaskExporter {

	final LongAdder tasks = new LongAdder();
	final LongAdder bytes = new LongAdder();
	final LongAdder estimated = new LongAdder();

	private final OutputStream counting = new OutputStream() {
		@Override
		public void write(int b) {
			bytes.increment();
		}

		@Override
		public void write(byte[] b, int off, int len) {
			bytes.add(len);
		}
	};

	@Override
	public Mono<ExportResult> export(List<LoggedTask> batch) {
		long estimate = 0;
		for (LoggedTask t : batch) {
			estimate += EventWriter.estimatedSize(t);
			EventWriter.writeTo(counting, t);
		}
		tasks.add(batch.size());
		estimated.add(estimate);
		return Mono.just(ExportResult.accepted(batch.size()));
	}
}

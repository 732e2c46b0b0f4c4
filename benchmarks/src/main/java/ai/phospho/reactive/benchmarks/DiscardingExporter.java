package ai.phospho.reactive.benchmarks;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.export.ExportResult;
import ai.phospho.reactive.export.TaskExporter;
import reactor.core.publisher.Mono;

/** Accepts every batch at once and only counts it: measures the pipeline, not a destination. */
final class DiscardingExporter implements TaskExporter {

	final LongAdder tasks = new LongAdder();

	@Override
	public Mono<ExportResult> export(List<LoggedTask> batch) {
		tasks.add(batch.size());
		return Mono.just(ExportResult.accepted(batch.size()));
	}
}

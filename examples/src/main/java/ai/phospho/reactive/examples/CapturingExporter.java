package ai.phospho.reactive.examples;

import java.util.ArrayList;
import java.util.List;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.export.ExportResult;
import ai.phospho.reactive.export.TaskExporter;
import reactor.core.publisher.Mono;

/**
 * Sends batches on to the real exporter (the phospho API or the JSON Lines file) and keeps the
 * tasks it accepted, so that the runner can print what each example logged: streams and wrapped
 * functions log when they end, not where the example could get the task back.
 */
final class CapturingExporter implements TaskExporter {

	private final TaskExporter delegate;
	private final List<LoggedTask> exported = new ArrayList<>();

	CapturingExporter(TaskExporter delegate) {
		this.delegate = delegate;
	}

	@Override
	public Mono<ExportResult> export(List<LoggedTask> batch) {
		return delegate.export(batch).doOnSuccess(result -> {
			synchronized (exported) {
				exported.addAll(batch);
			}
		});
	}

	/** The tasks exported since the last call, in export order. */
	List<LoggedTask> drain() {
		synchronized (exported) {
			List<LoggedTask> out = List.copyOf(exported);
			exported.clear();
			return out;
		}
	}

	@Override
	public Mono<Void> shutdown() {
		return delegate.shutdown();
	}

	@Override
	public String toString() {
		return "CapturingExporter{" + delegate + '}';
	}
}

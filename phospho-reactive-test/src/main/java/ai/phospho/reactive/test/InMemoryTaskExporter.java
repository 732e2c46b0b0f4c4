package ai.phospho.reactive.test;

import java.util.ArrayList;
import java.util.List;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.export.ExportResult;
import ai.phospho.reactive.export.TaskExporter;
import reactor.core.publisher.Mono;

/**
 * Keeps every exported batch in memory, in order, for assertions.
 *
 * <pre>{@code
 * InMemoryTaskExporter exporter = new InMemoryTaskExporter();
 * PhosphoClient client = PhosphoClient.create(PhosphoOptions.builder().exporter(exporter).build());
 * client.log("in", "out");
 * client.flush().block();
 * assertThat(exporter.tasks()).extracting(LoggedTask::output).containsExactly("out");
 * }</pre>
 */
public final class InMemoryTaskExporter implements TaskExporter {

	private final List<List<LoggedTask>> batches = new ArrayList<>();

	@Override
	public Mono<ExportResult> export(List<LoggedTask> batch) {
		List<LoggedTask> copy = List.copyOf(batch);
		synchronized (batches) {
			batches.add(copy);
		}
		return Mono.just(ExportResult.accepted(copy.size()));
	}

	/** Every exported task, in export order. */
	public List<LoggedTask> tasks() {
		List<LoggedTask> all = new ArrayList<>();
		synchronized (batches) {
			for (List<LoggedTask> b : batches) {
				all.addAll(b);
			}
		}
		return all;
	}

	/** The batches, in export order. */
	public List<List<LoggedTask>> batches() {
		synchronized (batches) {
			return List.copyOf(batches);
		}
	}

	/** Forgets everything exported so far. */
	public void clear() {
		synchronized (batches) {
			batches.clear();
		}
	}

	@Override
	public String toString() {
		synchronized (batches) {
			return "InMemoryTaskExporter{batches=" + batches.size() + '}';
		}
	}
}

package ai.phospho.reactive;

import java.util.Objects;

import ai.phospho.reactive.export.JsonLinesTaskExporter;
import ai.phospho.reactive.export.PhosphoHttpExporter;
import ai.phospho.reactive.export.PhosphoHttpExporterBuilder;
import ai.phospho.reactive.export.TaskExporter;
import ai.phospho.reactive.internal.Reports;
import reactor.util.Logger;
import reactor.util.Loggers;

/** The exporter a client uses when its options name none. */
final class DefaultExporters {

	private static final Logger LOG = Loggers.getLogger("ai.phospho.reactive");

	private DefaultExporters() {
	}

	/** The options' exporter; else the HTTP exporter with a key; else the JSON Lines file, with one warning. */
	static TaskExporter of(PhosphoOptions options) {
		TaskExporter custom = options.exporter();
		if (custom != null) {
			return custom;
		}
		if (options.apiKey() != null) {
			return httpExporter(options).build();
		}
		JsonLinesTaskExporter jsonl = JsonLinesTaskExporter.builder().path(options.jsonLinesPath()).build();
		Reports.warn(LOG, "phospho: PHOSPHO_API_KEY is not set: tasks are written to {}",
				options.jsonLinesPath().toAbsolutePath());
		return jsonl;
	}

	/**
	 * The builder of the default HTTP exporter: the key, project and base URL of {@code options}, two
	 * connections per batch in flight, then the options' customisers.
	 */
	static PhosphoHttpExporterBuilder httpExporter(PhosphoOptions options) {
		PhosphoHttpExporterBuilder b = PhosphoHttpExporter.builder()
				.apiKey(Objects.requireNonNull(options.apiKey(), "apiKey"))
				.baseUrl(options.baseUrl())
				.maxConnections((int) Math.min(Integer.MAX_VALUE, Math.max(2L, options.maxConcurrentExports() * 2L)));
		String project = options.projectId();
		if (project != null) {
			b.projectId(project);
		}
		return options.httpExporter().apply(b);
	}
}

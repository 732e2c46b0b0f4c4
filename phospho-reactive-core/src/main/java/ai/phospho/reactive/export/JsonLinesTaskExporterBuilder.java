package ai.phospho.reactive.export;

import java.nio.file.Path;
import java.util.Objects;

import ai.phospho.reactive.PhosphoOptions;

/**
 * Builds a {@link JsonLinesTaskExporter}.
 *
 * <pre>{@code
 * JsonLinesTaskExporter exporter = JsonLinesTaskExporter.builder().path(Path.of("logs/tasks.jsonl")).build();
 * }</pre>
 */
public final class JsonLinesTaskExporterBuilder {

	private Path path = Path.of(PhosphoOptions.DEFAULT_JSON_LINES_FILE);
	private JsonLinesTaskExporter.Opener opener = JsonLinesTaskExporter.APPEND;

	JsonLinesTaskExporterBuilder() {
	}

	/**
	 * The file the tasks are appended to, created with its parent directories at the first batch.
	 * Default {@value PhosphoOptions#DEFAULT_JSON_LINES_FILE}, in the working directory.
	 */
	public JsonLinesTaskExporterBuilder path(Path path) {
		this.path = Objects.requireNonNull(path, "path");
		return this;
	}

	/** How the file is opened; for tests that make a write fail midway. */
	JsonLinesTaskExporterBuilder opener(JsonLinesTaskExporter.Opener opener) {
		this.opener = Objects.requireNonNull(opener, "opener");
		return this;
	}

	/** An exporter with its own writer thread, released by its {@code shutdown()}. Opens nothing yet. */
	public JsonLinesTaskExporter build() {
		return new JsonLinesTaskExporter(path, opener);
	}
}

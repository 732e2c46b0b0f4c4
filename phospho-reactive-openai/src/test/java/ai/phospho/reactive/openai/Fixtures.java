package ai.phospho.reactive.openai;

import java.time.Duration;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.test.InMemoryTaskExporter;

/** A phospho client that exports to memory, for the tests of this module. */
final class Fixtures {

	static final String API_KEY = "sk-test-0123456789abcdef0123456789abcdef";

	final InMemoryTaskExporter exporter = new InMemoryTaskExporter();
	final PhosphoClient phospho = PhosphoClient.create(PhosphoOptions.builder()
			.exporter(exporter)
			.lingerDelay(Duration.ofMillis(10))
			.shutdownHook(false)
			.build());

	/** Every task logged so far, once exported. */
	java.util.List<LoggedTask> tasks() {
		phospho.flush().block(Duration.ofSeconds(5));
		return exporter.tasks();
	}

	void close() {
		phospho.shutdown().block(Duration.ofSeconds(5));
	}
}

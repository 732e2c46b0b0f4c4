package ai.phospho.reactive.export;

import java.nio.file.Path;
import java.time.Duration;

import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.PhosphoStats;

/**
 * Run in a JVM whose file size is limited ({@code ulimit -f}): logs 40 batches of 3 tasks of about
 * 1 KB to a JSON Lines file, flushing after each, and prints {@code exported=<n> failed=<n>}.
 */
public final class FullDiskWriter {

	private FullDiskWriter() {
	}

	public static void main(String[] args) {
		PhosphoClient client = PhosphoClient.create(PhosphoOptions.builder()
				.exporter(JsonLinesTaskExporter.create(Path.of(args[0])))
				.maxBatchSize(3)
				.shutdownHook(false)
				.build());
		for (int batch = 0; batch < 40; batch++) {
			for (int i = 0; i < 3; i++) {
				client.log("question " + batch + "." + i + " " + "x".repeat(900), "answer");
			}
			client.flush().block(Duration.ofSeconds(10));
		}
		PhosphoStats stats = client.stats();
		client.shutdown().block(Duration.ofSeconds(10));
		System.out.println("exported=" + stats.exported() + " failed=" + stats.failed());
	}
}

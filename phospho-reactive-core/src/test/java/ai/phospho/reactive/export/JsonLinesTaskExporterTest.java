package ai.phospho.reactive.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.TaskLog;
import ai.phospho.reactive.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

import static ai.phospho.reactive.TestSupport.chatCompletion;
import static ai.phospho.reactive.TestSupport.message;
import static ai.phospho.reactive.TestSupport.task;
import static org.assertj.core.api.Assertions.assertThat;

class JsonLinesTaskExporterTest {

	static final Duration TIMEOUT = Duration.ofSeconds(5);

	@TempDir
	Path dir;

	static List<JsonNode> lines(Path file) throws IOException {
		List<JsonNode> out = new ArrayList<>();
		for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
			out.add(TestSupport.tree(line));
		}
		return out;
	}

	@Test
	void eachTaskIsOneLineWithTheJsonOfToMap() throws IOException {
		Path file = dir.resolve("nested/dir/tasks.jsonl");
		JsonLinesTaskExporter exporter = JsonLinesTaskExporter.create(file);
		List<LoggedTask> first = List.of(task("q1", "a1"), task(List.of(message("user", "multi\nline")), chatCompletion("a")));
		List<LoggedTask> second = List.of(task("q3", "line\nbreak \u2028 and unicode \u00e9"));

		StepVerifier.create(exporter.export(first)).expectNext(ExportResult.accepted(2)).expectComplete().verify(TIMEOUT);
		StepVerifier.create(exporter.export(second)).expectNext(ExportResult.accepted(1)).expectComplete().verify(TIMEOUT);
		StepVerifier.create(exporter.shutdown()).expectComplete().verify(TIMEOUT);

		List<String> raw = Files.readAllLines(file, StandardCharsets.UTF_8);
		assertThat(raw).hasSize(3);
		List<JsonNode> lines = lines(file);
		assertThat(lines.get(0)).isEqualTo(TestSupport.treeOfMap(first.get(0)));
		assertThat(lines.get(1)).isEqualTo(TestSupport.treeOfMap(first.get(1)));
		assertThat(lines.get(2)).isEqualTo(TestSupport.treeOfMap(second.get(0)));
		assertThat(exporter.path()).isEqualTo(file);
	}

	@Test
	void anExistingFileIsAppendedTo() throws IOException {
		Path file = dir.resolve("tasks.jsonl");
		Files.writeString(file, "{\"existing\":true}\n");
		JsonLinesTaskExporter exporter = JsonLinesTaskExporter.create(file);

		StepVerifier.create(exporter.export(List.of(task("q", "a")))).expectNextCount(1).expectComplete().verify(TIMEOUT);
		StepVerifier.create(exporter.shutdown()).expectComplete().verify(TIMEOUT);

		assertThat(lines(file)).hasSize(2).first().isEqualTo(TestSupport.tree("{\"existing\":true}"));
	}

	@Test
	void writingToADirectoryFailsTheExport() throws IOException {
		JsonLinesTaskExporter exporter = JsonLinesTaskExporter.create(dir);

		StepVerifier.create(exporter.export(List.of(task("q", "a")))).expectError(IOException.class).verify(TIMEOUT);
		StepVerifier.create(exporter.shutdown()).expectComplete().verify(TIMEOUT);
	}

	@Test
	void aClientWithoutApiKeyWritesToTheConfiguredJsonLinesFile() throws IOException {
		Path file = dir.resolve("phospho-tasks.jsonl");
		PhosphoClient client = PhosphoClient.create(PhosphoOptions.builder().jsonLinesPath(file).shutdownHook(false)
				.build());
		try {
			assertThat(client.exporter()).isInstanceOf(JsonLinesTaskExporter.class);
			LoggedTask a = client.log("What is the speed of light?", "299,792 km/s");
			LoggedTask b = client.log(TaskLog.of("q").output("a").metadata(java.util.Map.of("k", "v")));
			StepVerifier.create(client.flush()).expectComplete().verify(TIMEOUT);

			assertThat(lines(file)).containsExactly(TestSupport.treeOfMap(a), TestSupport.treeOfMap(b));
		}
		finally {
			client.shutdown().block(TIMEOUT);
		}
		assertThat(client.stats().exported()).isEqualTo(2);
	}

	@Test
	void theBuilderDefaultsToTheDocumentedFileAndRefusesANullPath() {
		JsonLinesTaskExporter exporter = JsonLinesTaskExporter.builder().build();
		assertThat(exporter.path()).isEqualTo(Path.of(ai.phospho.reactive.PhosphoOptions.DEFAULT_JSON_LINES_FILE));
		exporter.shutdown().block(java.time.Duration.ofSeconds(5));
		org.assertj.core.api.Assertions.assertThatNullPointerException()
				.isThrownBy(() -> JsonLinesTaskExporter.builder().path(null)).withMessage("path");
	}
}

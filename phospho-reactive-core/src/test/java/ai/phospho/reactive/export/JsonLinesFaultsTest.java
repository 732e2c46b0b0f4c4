package ai.phospho.reactive.export;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.TestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

import static ai.phospho.reactive.TestSupport.task;
import static ai.phospho.reactive.export.JsonLinesTaskExporterTest.lines;
import static org.assertj.core.api.Assertions.assertThat;

/** The JSON Lines exporter on a full disk and under rotation, with real files. */
class JsonLinesFaultsTest {

	static final Duration TIMEOUT = Duration.ofSeconds(5);

	@TempDir
	Path dir;

	private JsonLinesTaskExporter exporter;

	@AfterEach
	void shutDown() {
		if (exporter != null) {
			StepVerifier.create(exporter.shutdown()).expectComplete().verify(TIMEOUT);
		}
	}

	static List<LoggedTask> batch(String name, int n) {
		return IntStream.range(0, n).mapToObj(i -> task(name + " " + i + " " + "x".repeat(200), "a")).toList();
	}

	private void exported(List<LoggedTask> batch) {
		StepVerifier.create(exporter.export(batch)).expectNext(ExportResult.accepted(batch.size())).expectComplete()
				.verify(TIMEOUT);
	}

	private static List<Object> inputs(Path file) throws IOException {
		return lines(file).stream().map(n -> (Object) n.get("input").asString()).toList();
	}

	private static List<Object> inputs(List<LoggedTask> batch) {
		return batch.stream().map(t -> (Object) t.input()).toList();
	}

	/** An exporter whose channel is a real file that can be made to run out of space. */
	private JsonLinesTaskExporter failing(Path file, AtomicReference<FailingFileChannel> opened) {
		return JsonLinesTaskExporter.builder().path(file).opener(p -> {
			FailingFileChannel ch = new FailingFileChannel(FileChannel.open(p, StandardOpenOption.CREATE,
					StandardOpenOption.WRITE, StandardOpenOption.APPEND));
			opened.set(ch);
			return ch;
		}).build();
	}

	@Test
	void aBatchThatRunsOutOfSpaceMidwayIsTakenBackWholeAndFails() throws IOException {
		Path file = dir.resolve("tasks.jsonl");
		AtomicReference<FailingFileChannel> opened = new AtomicReference<>();
		exporter = failing(file, opened);
		List<LoggedTask> first = batch("first", 2);
		List<LoggedTask> third = batch("third", 2);
		exported(first);
		long size = Files.size(file);

		opened.get().budget(300);
		StepVerifier.create(exporter.export(batch("second", 3)))
				.expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IOException.class).hasMessage("No space left on device"))
				.verify(TIMEOUT);
		assertThat(Files.size(file)).isEqualTo(size);

		opened.get().budget(Long.MAX_VALUE);
		exported(third);
		assertThat(inputs(file)).containsExactlyElementsOf(List.of(inputs(first).get(0), inputs(first).get(1),
				inputs(third).get(0), inputs(third).get(1)));
	}

	@Test
	void whenThePartialBatchCannotBeTakenBackTheNextBatchStartsOnANewLine() throws IOException {
		Path file = dir.resolve("tasks.jsonl");
		AtomicReference<FailingFileChannel> opened = new AtomicReference<>();
		exporter = failing(file, opened);
		exported(batch("first", 1));

		opened.get().budget(100).truncateFails();
		StepVerifier.create(exporter.export(batch("second", 2)))
				.expectErrorSatisfies(e -> assertThat(e).hasMessage("No space left on device")
						.satisfies(x -> assertThat(x.getSuppressed()).singleElement().asString()
								.contains("Input/output error")))
				.verify(TIMEOUT);
		List<LoggedTask> third = batch("third", 2);
		exported(third);

		List<String> raw = Files.readAllLines(file, StandardCharsets.UTF_8);
		assertThat(raw).hasSize(4);
		assertThat(raw.get(1)).hasSize(100).startsWith("{");
		assertThat(raw.subList(2, 4)).map(l -> TestSupport.tree(l).get("input").asString())
				.containsExactlyElementsOf(inputs(third).stream().map(String::valueOf).toList());
	}

	@Test
	void aFileThatEndsMidLineIsContinuedOnANewLine() throws IOException {
		Path file = dir.resolve("tasks.jsonl");
		Files.writeString(file, "{\"whole\":true}\n{\"cut\":");
		exporter = JsonLinesTaskExporter.create(file);
		List<LoggedTask> b = batch("after", 1);

		exported(b);

		List<String> raw = Files.readAllLines(file, StandardCharsets.UTF_8);
		assertThat(raw).hasSize(3);
		assertThat(raw.get(1)).isEqualTo("{\"cut\":");
		assertThat(TestSupport.tree(raw.get(2)).get("input").asString()).isEqualTo(b.get(0).input());
	}

	@Test
	void aFileMovedAwayByARotationIsCreatedAgainAtThePath() throws IOException {
		Path file = dir.resolve("tasks.jsonl");
		Path rotated = dir.resolve("tasks.jsonl.1");
		exporter = JsonLinesTaskExporter.create(file);
		List<LoggedTask> before = batch("before", 2);
		List<LoggedTask> after = batch("after", 2);
		exported(before);

		Files.move(file, rotated);
		exported(after);

		assertThat(inputs(rotated)).containsExactlyElementsOf(inputs(before));
		assertThat(inputs(file)).containsExactlyElementsOf(inputs(after));
	}

	@Test
	void aDeletedFileIsCreatedAgain() throws IOException {
		Path file = dir.resolve("tasks.jsonl");
		exporter = JsonLinesTaskExporter.create(file);
		exported(batch("before", 1));

		Files.delete(file);
		List<LoggedTask> after = batch("after", 1);
		exported(after);

		assertThat(inputs(file)).containsExactlyElementsOf(inputs(after));
	}

	@Test
	void aReplacedFileIsAppendedToInsteadOfTheOldOne() throws IOException {
		Path file = dir.resolve("tasks.jsonl");
		exporter = JsonLinesTaskExporter.create(file);
		exported(batch("before", 1));

		Path replacement = dir.resolve("new.jsonl");
		Files.writeString(replacement, "{\"input\":\"replacement\"}\n");
		Files.move(replacement, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		List<LoggedTask> after = batch("after", 1);
		exported(after);

		assertThat(inputs(file)).containsExactly("replacement", after.get(0).input());
	}

	@Test
	void aFileTruncatedInPlaceByCopytruncateIsAppendedAtItsNewEndWithoutAHole() throws IOException {
		Path file = dir.resolve("tasks.jsonl");
		Path copy = dir.resolve("tasks.jsonl.1");
		exporter = JsonLinesTaskExporter.create(file);
		List<LoggedTask> before = batch("before", 3);
		exported(before);

		Files.copy(file, copy);
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
			ch.truncate(0);
		}
		List<LoggedTask> after = batch("after", 1);
		exported(after);

		byte[] bytes = Files.readAllBytes(file);
		assertThat(bytes[0]).isEqualTo((byte) '{');
		assertThat(new String(bytes, StandardCharsets.UTF_8)).doesNotContain("\0");
		assertThat(inputs(file)).containsExactlyElementsOf(inputs(after));
		assertThat(inputs(copy)).containsExactlyElementsOf(inputs(before));
	}
}

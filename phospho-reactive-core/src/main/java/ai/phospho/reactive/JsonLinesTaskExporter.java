package ai.phospho.reactive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Appends each task as one line of JSON (the same event as the wire) to a file: the embedded
 * default when no API key is set.
 *
 * <pre>{@code
 * PhosphoClient client = PhosphoClient.create(PhosphoOptions.builder()
 *     .exporter(JsonLinesTaskExporter.create(Path.of("tasks.jsonl")))
 *     .build());
 * }</pre>
 *
 * <p>Writes run on a thread of the exporter's own, in the order of the batches, never on the
 * caller's thread nor on a Reactor non-blocking thread. Lines are written whole with one write per
 * batch; the file is created with its parent directories and appended to.
 */
public final class JsonLinesTaskExporter implements TaskExporter {

	private final Path path;
	private final ExecutorService executor;
	private final Scheduler scheduler;
	private @Nullable FileChannel channel;

	private JsonLinesTaskExporter(Path path) {
		this.path = path;
		this.executor = Executors.newSingleThreadExecutor(r -> {
			Thread t = new Thread(r, "phospho-jsonl-writer");
			t.setDaemon(true);
			return t;
		});
		this.scheduler = Schedulers.fromExecutorService(executor, "phospho-jsonl");
	}

	/** An exporter appending to {@code path}. Nothing is opened until the first batch. */
	public static JsonLinesTaskExporter create(Path path) {
		return new JsonLinesTaskExporter(Objects.requireNonNull(path, "path"));
	}

	/** The file the tasks go to. */
	public Path path() {
		return path;
	}

	@Override
	public Mono<ExportResult> export(List<LoggedTask> batch) {
		return Mono.fromCallable(() -> {
			write(batch);
			return ExportResult.accepted(batch.size());
		}).subscribeOn(scheduler);
	}

	private void write(List<LoggedTask> batch) throws IOException {
		long estimate = 0;
		for (LoggedTask t : batch) {
			estimate += t.estimatedSize() + 1;
		}
		// The whole batch in one buffer, one event per line, so that the file gets whole lines.
		ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, estimate + 64));
		for (LoggedTask t : batch) {
			EventWriter.writeTo(out, t);
			out.write('\n');
		}
		ByteBuffer buffer = ByteBuffer.wrap(out.toByteArray());
		FileChannel ch = channel();
		while (buffer.hasRemaining()) {
			ch.write(buffer);
		}
	}

	private FileChannel channel() throws IOException {
		FileChannel ch = channel;
		if (ch == null || !ch.isOpen()) {
			Path parent = path.toAbsolutePath().getParent();
			if (parent != null) {
				Files.createDirectories(parent);
			}
			ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
					StandardOpenOption.APPEND);
			channel = ch;
		}
		return ch;
	}

	@Override
	public Mono<Void> shutdown() {
		return Mono.<Void>fromRunnable(() -> {
			FileChannel ch = channel;
			channel = null;
			if (ch != null) {
				try {
					ch.close();
				}
				catch (IOException ignored) {
					// Every batch was written already; nothing is lost by a failed close.
				}
			}
		}).subscribeOn(scheduler).doFinally(s -> executor.shutdown());
	}

	@Override
	public String toString() {
		return "JsonLinesTaskExporter{path=" + path + '}';
	}
}

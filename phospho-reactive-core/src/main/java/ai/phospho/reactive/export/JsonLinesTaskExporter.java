package ai.phospho.reactive.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.internal.EventWriter;
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
 * caller's thread nor on a Reactor non-blocking thread. The file is created with its parent
 * directories and appended to; this exporter should be its only writer.
 *
 * <p><b>A batch is written whole or not at all.</b> When a write fails (disk full, file size limit),
 * the file is truncated back to its size before the batch, the batch fails and its tasks are counted
 * as failed. Should even that fail, the next batch starts on a new line, so that only the unfinished
 * line is unreadable; the same holds for a file that a crash left ending mid-line.
 *
 * <p><b>Rotation.</b> Before each batch the exporter checks that its path still names the file it
 * has open (same file key, as log shippers do): when the file was moved away (logrotate's
 * {@code create} mode), deleted or replaced, it opens the path again, creating the file. A file
 * truncated in place ({@code copytruncate}) is written at its new end: every write appends. On file
 * systems without file keys (Windows), only a missing file is detected.
 */
public final class JsonLinesTaskExporter implements TaskExporter {

	/** Opens the file for appending; package-private so that a test can make a write fail midway. */
	interface Opener {
		FileChannel open(Path path) throws IOException;
	}

	static final Opener APPEND = p -> FileChannel.open(p, StandardOpenOption.CREATE,
			StandardOpenOption.WRITE, StandardOpenOption.APPEND);

	private final Path path;
	private final Opener opener;
	private final ExecutorService executor;
	private final Scheduler scheduler;
	// Writer-thread state.
	private @Nullable FileChannel channel;
	/** The identity of the open file ({@code dev, inode} on Unix), {@code null} when unknown. */
	private @Nullable Object fileKey;
	/** Whether the file may end with an unfinished line: the next batch then starts with a line break. */
	private boolean lineOpen;

	JsonLinesTaskExporter(Path path, Opener opener) {
		this.path = path;
		this.opener = opener;
		this.executor = Executors.newSingleThreadExecutor(r -> {
			Thread t = new Thread(r, "phospho-jsonl-writer");
			t.setDaemon(true);
			return t;
		});
		this.scheduler = Schedulers.fromExecutorService(executor, "phospho-jsonl");
	}

	/** A builder with every default. */
	public static JsonLinesTaskExporterBuilder builder() {
		return new JsonLinesTaskExporterBuilder();
	}

	/** An exporter appending to {@code path}: {@code builder().path(path).build()}. Nothing is opened until the first batch. */
	public static JsonLinesTaskExporter create(Path path) {
		return builder().path(path).build();
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
		long estimate = 1;
		for (LoggedTask t : batch) {
			estimate += EventWriter.estimatedSize(t) + 1;
		}
		// The whole batch in one buffer, one event per line, so that the file gets whole lines.
		ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, estimate + 64));
		FileChannel ch = channel();
		if (lineOpen) {
			out.write('\n');
		}
		for (LoggedTask t : batch) {
			EventWriter.writeTo(out, t);
			out.write('\n');
		}
		ByteBuffer buffer = ByteBuffer.wrap(out.toByteArray());
		long before = ch.size();
		try {
			while (buffer.hasRemaining()) {
				ch.write(buffer);
			}
		}
		catch (IOException | RuntimeException e) {
			takeBack(ch, before, e);
			throw e;
		}
		lineOpen = false;
	}

	/**
	 * Truncates the file back to its size before the failed batch: every write appends, so what the
	 * batch wrote is all past that size. When that fails too, the channel is closed (the next batch
	 * opens the path again) and the next batch starts on a new line.
	 */
	private void takeBack(FileChannel ch, long size, Throwable failure) {
		try {
			ch.truncate(size);
		}
		catch (IOException | RuntimeException e) {
			failure.addSuppressed(e);
			lineOpen = true;
			close();
		}
	}

	/** The open channel when the path still names its file; else the path opened (again). */
	private FileChannel channel() throws IOException {
		FileChannel ch = channel;
		if (ch != null && ch.isOpen() && isStillThePath()) {
			return ch;
		}
		close();
		Path parent = path.toAbsolutePath().getParent();
		if (parent != null) {
			Files.createDirectories(parent);
		}
		ch = opener.open(path);
		channel = ch;
		fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
		lineOpen = lineOpen || endsMidLine(ch.size());
		return ch;
	}

	private boolean isStillThePath() {
		try {
			Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
			return key == null || key.equals(fileKey);
		}
		catch (NoSuchFileException e) {
			// Deleted, or moved away by a rotation: the file open is no longer the path's.
			return false;
		}
		catch (IOException e) {
			// Unreadable attributes say nothing about a rotation; the write will tell.
			return true;
		}
	}

	/** Whether a non-empty file's last byte is not a line break (a batch or a process cut short). */
	private boolean endsMidLine(long size) throws IOException {
		if (size == 0) {
			return false;
		}
		// A channel opened for appending cannot read: a read-only one looks at the last byte.
		try (FileChannel reader = FileChannel.open(path, StandardOpenOption.READ)) {
			ByteBuffer last = ByteBuffer.allocate(1);
			return reader.read(last, size - 1) == 1 && last.get(0) != '\n';
		}
	}

	private void close() {
		FileChannel ch = channel;
		channel = null;
		fileKey = null;
		if (ch != null) {
			try {
				ch.close();
			}
			catch (IOException ignored) {
				// Every batch counted as written was written already; nothing is lost by a failed close.
			}
		}
	}

	@Override
	public Mono<Void> shutdown() {
		return Mono.<Void>fromRunnable(this::close).subscribeOn(scheduler).doFinally(s -> executor.shutdown());
	}

	@Override
	public String toString() {
		return "JsonLinesTaskExporter{path=" + path + '}';
	}
}

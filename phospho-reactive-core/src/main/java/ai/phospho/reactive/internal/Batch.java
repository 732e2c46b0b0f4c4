package ai.phospho.reactive.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.export.ExportResult;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;

/** One batch cut by the worker, and the state of its export. */
final class Batch {

	final List<LoggedTask> tasks;
	/** The estimated JSON size of the tasks, as a body: {@code [}, the events and their separators, {@code ]}. */
	final long bytes;
	/** Set once, by the first terminal signal of the export, on whichever thread it arrives. */
	final AtomicBoolean completed = new AtomicBoolean();
	volatile @Nullable ExportResult result;
	volatile @Nullable Disposable subscription;
	// Written before the batch is handed to the worker through its completion queue.
	@Nullable Throwable error;
	boolean failed;

	// Worker only.
	/** The count of tasks the worker had taken from the queue once this batch was cut. */
	long end;
	/** Accounted for: its outcome recorded, or counted as dropped by a shutdown that gave up. */
	boolean done;

	Batch(List<LoggedTask> tasks, long bytes) {
		this.tasks = tasks;
		this.bytes = bytes;
	}
}

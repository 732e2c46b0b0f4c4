package ai.phospho.reactive.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import ai.phospho.reactive.LoggedTask;
import org.jspecify.annotations.Nullable;

/**
 * Cuts the queue into batches of at most {@code maxBatchSize} tasks and {@code maxBatchBytes} of
 * JSON (a task larger than that goes alone). Worker only.
 *
 * <p>Every task it has taken from the queue stays reachable until it is placed in a batch, so that
 * a failure of the worker while cutting (an {@code OutOfMemoryError}) cannot lose it uncounted: the
 * worker then {@linkplain #abort aborts} the cut and counts those tasks as failed.
 */
final class BatchCutter {

	private final Admission admission;
	private final ExportStats stats;
	private final int maxBatchSize;
	private final long maxBatchBytes;

	/** A task polled from the queue that did not fit in the last batch; it opens the next one. */
	private @Nullable LoggedTask carry;
	/** The tasks of the batch being cut. */
	private @Nullable List<LoggedTask> cutting;
	/** Tasks taken whose conversion threw, so that no exporter can write them; not yet counted. */
	private int unconvertible;

	BatchCutter(Admission admission, ExportStats stats, int maxBatchSize, long maxBatchBytes) {
		this.admission = admission;
		this.stats = stats;
		this.maxBatchSize = maxBatchSize;
		this.maxBatchBytes = maxBatchBytes;
	}

	/** The next batch, or {@code null} when the queue is empty. */
	@Nullable Batch next() {
		long size = 2;
		LoggedTask next;
		while ((next = carry != null ? carry : admission.poll()) != null) {
			carry = next;
			long taskBytes = sizeOf(next);
			if (taskBytes < 0) {
				carry = null;
				unconvertible++;
				continue;
			}
			List<LoggedTask> tasks = cutting;
			if (tasks != null && (tasks.size() >= maxBatchSize || size + taskBytes + 1 > maxBatchBytes)) {
				break;
			}
			if (tasks == null) {
				tasks = new ArrayList<>(Math.min(maxBatchSize, 64));
				cutting = tasks;
			}
			tasks.add(next);
			carry = null;
			size += taskBytes + 1;
		}
		List<LoggedTask> tasks = cutting;
		cutting = null;
		return tasks == null ? null : new Batch(Collections.unmodifiableList(tasks), size);
	}

	/** The tasks taken that could not be converted since the last call: to be counted as failed. */
	int takeUnconvertible() {
		int n = unconvertible;
		unconvertible = 0;
		return n;
	}

	/** The task waiting to open the next batch, taken back (to be settled at shutdown). */
	@Nullable LoggedTask takeCarry() {
		LoggedTask t = carry;
		carry = null;
		return t;
	}

	/**
	 * After the worker failed while cutting: forgets the batch being cut and the task being placed
	 * (the likely cause, not tried again).
	 *
	 * @return how many tasks were forgotten
	 */
	int abort() {
		List<LoggedTask> cut = cutting;
		int lost = (cut == null ? 0 : cut.size()) + (carry == null ? 0 : 1);
		cutting = null;
		carry = null;
		return lost;
	}

	/** The task's estimated JSON size, or -1 when reading it throws (a chunk's getter, converted here). */
	private long sizeOf(LoggedTask task) {
		try {
			return EventWriter.estimatedSize(task);
		}
		catch (Throwable e) {
			Failures.throwIfFatal(e);
			String reason = "task " + task.taskId() + " could not be converted for export: "
					+ stats.redacted(Failures.describe(e));
			stats.lastError(reason);
			Reports.warn(ExportStats.LOG, "phospho: {}; it is counted as failed", reason, e);
			return -1;
		}
	}
}

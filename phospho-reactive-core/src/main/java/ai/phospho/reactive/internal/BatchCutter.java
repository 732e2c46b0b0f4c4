package ai.phospho.reactive.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.TaskRedactor;
import org.jspecify.annotations.Nullable;

/**
 * Cuts the queue into batches of at most {@code maxBatchSize} tasks and {@code maxBatchBytes} of
 * JSON (a task larger than that goes alone). Worker only.
 *
 * <p>Every task it has taken from the queue stays reachable until it is placed in a batch, so that
 * a failure of the worker while cutting (an {@code OutOfMemoryError}) cannot lose it uncounted: the
 * worker then {@linkplain #abort aborts} the cut and counts those tasks as failed.
 *
 * <p>The {@link TaskRedactor} runs here, on each task as it leaves the queue and before it is
 * measured: once per task (a task carried to the next batch is redacted already), before anything
 * that writes or exports it.
 */
final class BatchCutter {

	private final Admission admission;
	private final ExportStats stats;
	private final int maxBatchSize;
	private final long maxBatchBytes;
	private final @Nullable TaskRedactor redactor;

	/** A task polled from the queue that did not fit in the last batch; it opens the next one. */
	private @Nullable LoggedTask carry;
	/** The tasks of the batch being cut. */
	private @Nullable List<LoggedTask> cutting;
	/** Tasks taken whose conversion threw, so that no exporter can write them; not yet counted. */
	private int unconvertible;
	/** Tasks taken that the redactor dropped (or threw on), counted already; not yet released. */
	private int removed;

	BatchCutter(Admission admission, ExportStats stats, int maxBatchSize, long maxBatchBytes,
			@Nullable TaskRedactor redactor) {
		this.redactor = redactor;
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
			if (carry == null && redactor != null) {
				// Reachable while the redactor runs: a worker failure in it is counted, not lost.
				carry = next;
				next = redacted(next, redactor);
				if (next == null) {
					carry = null;
					removed++;
					continue;
				}
			}
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
				// Sized for what is held (an upper bound of what is queued): no copies as it grows.
				tasks = new ArrayList<>(Math.min(maxBatchSize, Math.max(64, admission.held())));
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

	/** The tasks taken that the redactor removed since the last call: to be released, not counted again. */
	int takeRemoved() {
		int n = removed;
		removed = 0;
		return n;
	}

	/**
	 * The task as the redactor returns it, or {@code null} when it is dropped: the redactor returned
	 * null, or threw. The report names the task and the exception's class, never its message, which
	 * may quote the content the redactor was there to remove.
	 */
	private @Nullable LoggedTask redacted(LoggedTask task, TaskRedactor redactor) {
		LoggedTask out;
		try {
			out = redactor.redact(task);
		}
		catch (Throwable e) {
			Failures.throwIfFatal(e);
			stats.redactionFailed();
			String reason = "the redactor " + redactor.getClass().getName() + " threw " + e.getClass().getName()
					+ " on task " + task.taskId();
			stats.lastError(reason);
			Callbacks.reportOnce("redactor:" + e.getClass().getName(), "phospho: " + reason
					+ "; that task is dropped, and so is every task it throws on (counted in stats().redactionFailures())",
					null);
			return null;
		}
		if (out == null) {
			stats.redacted();
		}
		return out;
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

package ai.phospho.reactive.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.export.ExportListener;
import ai.phospho.reactive.export.ExportResult;
import ai.phospho.reactive.export.TaskExporter;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The disk spool's side of the pipeline. The export worker's exporter is {@link #writer()}: each
 * batch it cuts is appended to the {@link SpoolLog} with one {@code fsync} (group commit), and only
 * then is it done for the worker, so memory holds at most {@code maxQueueSize} tasks however long
 * the destination is down. The delivery then reads the spool oldest first, one batch at a time,
 * rebuilds its tasks from their event JSON, hands them to the real exporter through
 * {@link ExportCalls}, and acknowledges them in the spool once it has their outcome. A batch whose
 * export fails stays in the spool and is tried again after a backoff (the linger delay, doubling
 * up to a minute), counted as retried.
 *
 * <p>Everything that touches the disk runs on one thread of its own, {@code phospho-spool}, which
 * is not a Reactor non-blocking thread: never on a caller, an event loop or the worker.
 */
final class SpoolDelivery {

	private record Waiter(long target, MonoSink<Void> sink) {
	}

	private final SpoolLog log;
	private final Path dir;
	private final ExportCalls calls;
	private final ExportStats stats;
	private final Scheduler thread = Schedulers.fromExecutorService(Executors.newSingleThreadScheduledExecutor(r -> {
		Thread t = new Thread(r, "phospho-spool");
		t.setDaemon(true);
		return t;
	}), "phospho-spool");
	private final int maxBatchSize;
	private final long maxBatchBytes;
	private final long initialBackoffNanos;
	private final long maxBackoffNanos;
	private final long maxBytes;
	private final RateLimitedWarning dropWarning = new RateLimitedWarning();

	private volatile int inFlightTasks;
	/**
	 * The tasks spooled last, by sequence number modulo its size ({@code maxQueueSize}): a task still
	 * here when its turn comes is sent as it is rather than read back from its JSON. Spool thread only.
	 */
	private final @Nullable LoggedTask[] recent;
	private final long[] recentSeqs;

	// Spool thread only.
	private final List<Waiter> waiters = new ArrayList<>();
	private SpoolLog.@Nullable Read reading;
	private @Nullable Batch inFlight;
	private int failures;
	private boolean retryPending;
	private boolean stopped;

	SpoolDelivery(SpoolLog log, Path dir, TaskExporter exporter, ExportStats stats, PhosphoOptions options) {
		this.log = log;
		this.dir = dir;
		this.stats = stats;
		this.calls = new ExportCalls(exporter, stats.listener(), options.exportTimeout());
		this.maxBatchSize = options.maxBatchSize();
		this.maxBatchBytes = options.maxBatchBytes();
		// A failed batch is tried again after the linger delay, doubling up to a minute: the HTTP
		// exporter has retried it already within its own backoff.
		this.initialBackoffNanos = options.lingerDelay().toNanos();
		this.maxBackoffNanos = Math.max(initialBackoffNanos, Duration.ofSeconds(60).toNanos());
		this.recent = new LoggedTask[options.maxQueueSize()];
		this.recentSeqs = new long[options.maxQueueSize()];
		this.maxBytes = options.spoolMaxBytes();
		if (log.recovered() > 0 || log.corrupt() > 0) {
			stats.dropped(log.corrupt());
			Reports.warn(ExportStats.LOG, "phospho: the spool {} holds {} tasks left by an earlier process; they are "
					+ "sent first, alongside new tasks{}", dir.toAbsolutePath(), log.recovered(), log.corrupt() == 0 ? ""
							: " (" + log.corrupt() + " corrupt records skipped and counted as dropped)");
		}
		thread.schedule(this::drain);
	}

	/** The export worker's exporter: a batch is done once it is in the spool, forced to disk. */
	TaskExporter writer() {
		return new TaskExporter() {
			@Override
			public Mono<ExportResult> export(List<LoggedTask> batch) {
				return Mono.fromCallable(() -> append(batch)).subscribeOn(thread);
			}

			@Override
			public Mono<ExportResult> export(List<LoggedTask> batch, ExportListener listener) {
				return export(batch);
			}
		};
	}

	long pending() {
		return log.pending();
	}

	int inFlight() {
		return inFlightTasks > 0 ? 1 : 0;
	}

	/** Completes once every task spooled before the call is delivered, dropped, or left at shutdown. */
	Mono<Void> flush() {
		return Mono.create(sink -> {
			try {
				thread.schedule(() -> {
					waiters.add(new Waiter(log.lastSeq(), sink));
					drain();
				});
			}
			catch (RuntimeException gone) {
				sink.success();
			}
		});
	}

	/** On shutdown timeout: the export in flight is cancelled; what it held stays in the spool. */
	Mono<Long> abandon() {
		return Mono.fromCallable(() -> {
			stopped = true;
			calls.cancelAll();
			inFlight = null;
			inFlightTasks = 0;
			completeWaiters(true);
			return log.pending();
		}).subscribeOn(thread);
	}

	/** Closes the real exporter, then the spool (its lock released); says what is left for the next start. */
	Mono<Void> close() {
		return calls.shutdownExporter().then(Mono.<Void>fromRunnable(() -> {
			stopped = true;
			completeWaiters(true);
			long left = log.pending();
			if (left > 0) {
				Reports.warn(ExportStats.LOG, "phospho: {} tasks are left in the spool {} for the next start", left,
						dir.toAbsolutePath());
			}
			log.close();
		}).subscribeOn(thread));
	}

	void dispose() {
		calls.dispose();
		try {
			// Whatever became of the close, the lock is released for the next client.
			thread.schedule(log::close);
		}
		catch (RuntimeException gone) {
			log.close();
		}
		OwnSchedulers.dispose(thread);
	}

	private ExportResult append(List<LoggedTask> batch) throws IOException {
		List<byte[]> events = new ArrayList<>(batch.size());
		for (LoggedTask t : batch) {
			events.add(EventWriter.toJson(t));
		}
		int dropped = log.append(events);
		long seq = log.lastSeq() - batch.size();
		for (LoggedTask t : batch) {
			int i = (int) (++seq % recent.length);
			recent[i] = t;
			recentSeqs[i] = seq;
		}
		if (dropped > 0) {
			stats.dropped(dropped);
			if (dropWarning.due()) {
				Reports.warn(ExportStats.LOG, "phospho: the spool {} is full (spoolMaxBytes={}): its {} oldest tasks "
						+ "were dropped; {} dropped so far", dir.toAbsolutePath(), maxBytes, dropped, stats.dropped());
			}
		}
		drain();
		return ExportResult.accepted(batch.size());
	}

	private void drain() {
		try {
			drainNow();
		}
		catch (Throwable e) {
			Failures.throwIfFatal(e);
			String reason = "the spool " + dir.toAbsolutePath() + " could not be read: " + Failures.describe(e);
			stats.lastError(stats.redacted(reason));
			Reports.error(ExportStats.LOG, "phospho: {}; it is tried again", reason, e);
			retryLater();
		}
	}

	private void drainNow() throws IOException {
		completeWaiters(false);
		if (stopped || inFlight != null || retryPending) {
			return;
		}
		SpoolLog.Read r = log.read(maxBatchSize, maxBatchBytes);
		int lost = log.takeLostToCorruption();
		if (lost > 0) {
			stats.dropped(lost);
			Reports.warn(ExportStats.LOG, "phospho: a record of the spool {} is corrupt: the {} tasks after it in its "
					+ "file were dropped", dir.toAbsolutePath(), lost);
		}
		if (r == null) {
			// What the read skipped (corrupt, dropped) may be all a flush waited for.
			completeWaiters(false);
			return;
		}
		List<LoggedTask> tasks = new ArrayList<>(r.events().size());
		for (int k = 0; k < r.seqs().length; k++) {
			int i = (int) (r.seqs()[k] % recent.length);
			LoggedTask hot = recentSeqs[i] == r.seqs()[k] ? recent[i] : null;
			try {
				tasks.add(hot != null ? hot : EventWriter.fromJson(r.events().get(k)));
			}
			catch (RuntimeException bad) {
				// Its checksum held, so it is what was written: not a task this version can read.
				stats.failed(1);
				stats.lastError("a spooled task could not be read back: " + stats.redacted(Failures.describe(bad)));
			}
		}
		reading = r;
		Batch b = new Batch(Collections.unmodifiableList(tasks), r.bytes());
		inFlight = b;
		inFlightTasks = tasks.size();
		calls.start(b, 1, thread, done -> {
			try {
				thread.schedule(() -> finish(done));
			}
			catch (RuntimeException gone) {
				// Shut down: the batch stays in the spool.
			}
		});
	}

	private void finish(Batch b) {
		SpoolLog.Read r = reading;
		if (b != inFlight || r == null) {
			return;
		}
		inFlight = null;
		inFlightTasks = 0;
		reading = null;
		if (b.failed) {
			int lost = log.unread(r);
			stats.dropped(lost);
			failures++;
			stats.listener().retrying("a spooled batch of " + b.tasks.size() + " tasks could not be exported ("
					+ Failures.describe(b.error) + "); it stays in the spool and is tried again");
			retryLater();
			return;
		}
		failures = 0;
		stats.record(b);
		for (long seq : r.seqs()) {
			// Delivered: not held in memory any longer.
			int i = (int) (seq % recent.length);
			if (recentSeqs[i] == seq) {
				recent[i] = null;
			}
		}
		try {
			log.ack(r, r.events().size());
		}
		catch (IOException e) {
			// Delivered and counted; without its acknowledgement it is sent again after a restart.
			stats.lastError(stats.redacted("the spool " + dir.toAbsolutePath() + " could not record a delivery: "
					+ Failures.describe(e)));
		}
		drain();
	}

	private void retryLater() {
		if (retryPending || stopped) {
			return;
		}
		retryPending = true;
		long delay = Math.min(maxBackoffNanos, initialBackoffNanos << Math.min(20, Math.max(0, failures - 1)));
		try {
			thread.schedule(() -> {
				retryPending = false;
				drain();
			}, delay, TimeUnit.NANOSECONDS);
		}
		catch (RuntimeException gone) {
			retryPending = false;
		}
	}

	private void completeWaiters(boolean all) {
		SpoolLog.Read r = reading;
		long done = inFlight == null || r == null ? log.settledThrough() : Math.min(log.settledThrough(), r.firstSeq() - 1);
		for (Iterator<Waiter> it = waiters.iterator(); it.hasNext();) {
			Waiter w = it.next();
			if (all || w.target() <= done) {
				it.remove();
				w.sink().success();
			}
		}
	}
}

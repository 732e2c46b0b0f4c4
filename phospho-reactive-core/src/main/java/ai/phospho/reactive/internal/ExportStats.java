package ai.phospho.reactive.internal;

import java.util.concurrent.atomic.LongAdder;

import ai.phospho.reactive.PhosphoStats;
import ai.phospho.reactive.export.ExportListener;
import ai.phospho.reactive.export.ExportResult;
import ai.phospho.reactive.export.PhosphoHttpExporter;
import org.jspecify.annotations.Nullable;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The pipeline's counters and its last error, read together as one {@link PhosphoStats}.
 *
 * <p>What producers count (drops, capture errors) and what the exporter reports from its own
 * threads (retries) are {@link LongAdder}s; the outcome of batches is written by the worker alone,
 * under its work-in-progress counter, and read from any thread. Every error text passes through
 * the key's redactor before it is kept or written: a custom exporter may echo the key too.
 */
final class ExportStats {

	static final Logger LOG = Loggers.getLogger("ai.phospho.reactive.export");

	private final LongAdder dropped = new LongAdder();
	private final LongAdder retried = new LongAdder();
	private final LongAdder captureErrors = new LongAdder();
	private final LongAdder sampledOut = new LongAdder();
	private final @Nullable KeyRedactor redactor;
	private final RateLimitedWarning failureWarning = new RateLimitedWarning();
	private final ExportListener listener = new ExportListener() {
		@Override
		public void retrying(String reason) {
			retried.increment();
			lastError = redacted(reason);
		}

		@Override
		public void failed(String reason) {
			lastError = redacted(reason);
		}
	};

	// Written by the worker only.
	private volatile long exported;
	private volatile long failed;
	private volatile long rejected;
	private volatile long batches;
	private volatile long bytes;
	private volatile long redacted;
	private volatile long redactionFailures;
	private volatile @Nullable String lastError;

	ExportStats(@Nullable String apiKey) {
		this.redactor = apiKey == null ? null : new KeyRedactor(apiKey);
	}

	/** What the exporter tells of its progress: retries are counted, their reasons kept as the last error. */
	ExportListener listener() {
		return listener;
	}

	void dropped(int n) {
		dropped.add(n);
	}

	long dropped() {
		return dropped.sum();
	}

	void captureFailed() {
		captureErrors.increment();
	}

	void sampledOut() {
		sampledOut.increment();
	}

	/** Worker only: the redactor dropped a task (it returned null). */
	void redacted() {
		redacted++;
	}

	/** Worker only: the redactor threw on a task, which is dropped. */
	void redactionFailed() {
		redactionFailures++;
	}

	/** Worker only: tasks taken from the queue that will never reach the exporter. */
	void failed(int n) {
		failed += n;
	}

	/** Sets the last error; {@code reason} must be redacted already. */
	void lastError(String reason) {
		lastError = reason;
	}

	@Nullable String lastError() {
		return lastError;
	}

	/**
	 * Worker only: the outcome of a batch's export. What the exporter's result claims is user data
	 * too, so it is bounded by the batch; a failure is kept as the last error and written at most
	 * once per {@link RateLimitedWarning#INTERVAL}.
	 */
	void record(Batch b) {
		int n = b.tasks.size();
		if (b.failed) {
			failed += n;
			String reason = redacted(Failures.describe(b.error));
			lastError = reason;
			if (failureWarning.due()) {
				Reports.warn(LOG, "phospho: a batch of {} tasks could not be exported: {}; {} tasks failed so far", n,
						reason, failed);
			}
			return;
		}
		ExportResult r = b.result;
		int accepted = r == null ? n : Math.min(r.accepted(), n);
		int refused = r == null ? 0 : Math.min(r.rejected(), n - accepted);
		exported += accepted;
		rejected += refused;
		// What the exporter neither delivered nor saw refused (a part of a split batch that failed).
		failed += n - accepted - refused;
		batches++;
		bytes += b.bytes;
	}

	String redacted(String text) {
		KeyRedactor r = redactor;
		return r == null ? text : r.redactAndShorten(text, PhosphoApi.MAX_REPLY_CHARS);
	}

	PhosphoStats snapshot(int queued, int inFlight) {
		return new PhosphoStats(queued, exported, dropped.sum(), failed, rejected, retried.sum(), batches, bytes,
				inFlight, lastError, captureErrors.sum(), sampledOut.sum(), redacted, redactionFailures);
	}
}

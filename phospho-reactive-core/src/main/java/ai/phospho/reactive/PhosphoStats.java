package ai.phospho.reactive;

import org.jspecify.annotations.Nullable;

/**
 * Counters of one client's export pipeline since it started.
 *
 * @param queued    tasks held now: waiting in the queue or in a batch being exported
 * @param exported  tasks the destination accepted
 * @param dropped   tasks the pipeline dropped: queue full (under either overflow policy), logged after
 *                  shutdown, or still held when {@code shutdown()} timed out
 * @param failed    tasks in batches that failed for good: refused (4xx), or not delivered within
 *                  {@code maxRetryDuration}, or
 *                  not completed within {@code exportTimeout}
 * @param rejected  tasks the destination refused one by one ({@code error_in_log}, or a single event
 *                  too large for the API)
 * @param retried   export attempts that failed and were retried
 * @param batches   batches exported successfully
 * @param bytes     JSON bytes of the exported events, as estimated when their batches were cut
 * @param inFlight  batches being exported now
 * @param lastError the last export failure, retried or final, {@code null} when there was none; it
 *                  never holds the API key
 * @param captureErrors tasks logged with only what could be read: a value, chunk or callback threw
 *                  while the task was captured (the task's metadata says what, in {@code capture_error})
 * @param sampledOut tasks not logged because their session was sampled out ({@code sampleRate}); never
 *                  offered to the pipeline, so not in the other counts
 * @param redacted  tasks the {@link TaskRedactor} dropped on purpose (it returned {@code null})
 * @param redactionFailures tasks dropped because the {@link TaskRedactor} threw on them
 */
public record PhosphoStats(long queued, long exported, long dropped, long failed, long rejected,
		long retried, long batches, long bytes, int inFlight, @Nullable String lastError,
		long captureErrors, long sampledOut, long redacted, long redactionFailures) {
}

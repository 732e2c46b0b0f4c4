package ai.phospho.reactive;

import org.jspecify.annotations.Nullable;

/**
 * Counters of one client's export pipeline since it started.
 *
 * @param queued    tasks held now: waiting in the queue or in a batch being exported
 * @param exported  tasks the destination accepted
 * @param dropped   tasks dropped without an export attempt (queue full, logged after shutdown)
 * @param failed    tasks in batches that failed for good
 * @param rejected  tasks the destination refused one by one ({@code error_in_log})
 * @param retried   export attempts that were retried
 * @param batches   batches exported successfully
 * @param bytes     JSON bytes of the exported events, as estimated when their batches were cut
 * @param inFlight  batches being exported now
 * @param lastError the last export failure, {@code null} when there was none
 */
public record PhosphoStats(long queued, long exported, long dropped, long failed, long rejected,
		long retried, long batches, long bytes, int inFlight, @Nullable String lastError) {
}

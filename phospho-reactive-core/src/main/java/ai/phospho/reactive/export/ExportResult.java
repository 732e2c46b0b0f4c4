package ai.phospho.reactive.export;

/**
 * The outcome of one exported batch.
 *
 * @param accepted the tasks the destination stored
 * @param rejected the tasks it refused one by one (the phospho API's {@code error_in_log} entries);
 *                 they are counted and not retried
 *
 * <p>Tasks of a batch counted in neither (a part of a split batch that failed for good) are counted
 * as failed.
 */
public record ExportResult(int accepted, int rejected) {

	public ExportResult {
		if (accepted < 0) {
			throw new IllegalArgumentException("accepted must be non-negative, was " + accepted);
		}
		if (rejected < 0) {
			throw new IllegalArgumentException("rejected must be non-negative, was " + rejected);
		}
	}

	/** Every task of a batch of {@code size} was accepted. */
	public static ExportResult accepted(int size) {
		return new ExportResult(size, 0);
	}
}

package ai.phospho.reactive.internal;

/**
 * How much a bounded conversion ({@link Plain#of(Object, ConversionBudget)}) may build: about
 * {@code max} characters of JSON per string, list or map, {@value Plain#CONVERSION_LIMIT} times
 * that per call, and whether anything was cut. Not thread-safe. Internal: not public API.
 */
public final class ConversionBudget {
	final long max;
	long used;
	/** Where the current conversion stops, whatever is left of its strings, lists and maps. */
	long limit = Long.MAX_VALUE;
	boolean truncated;

	public ConversionBudget(long max) {
		this.max = max;
	}

	/** Whether a string, list or map was cut. */
	public boolean truncated() {
		return truncated;
	}

	/** The size each string, list and map is bounded by. */
	public long max() {
		return max;
	}

	/** Records that something else was cut under this budget. */
	public void markTruncated() {
		truncated = true;
	}
}

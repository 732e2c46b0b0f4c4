package ai.phospho.reactive.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A stream's {@code raw_output}: the chunks as emitted, turned into their plain forms the first
 * time the task's raw output is read, which is on the export worker (sizing the batch), not on the
 * stream's thread. Like the Python SDK's, which serialises on its consumer thread.
 */
public final class DeferredChunks {

	private final int maxChars;
	private @Nullable List<Object> chunks;
	private @Nullable Object plain;
	private boolean truncated;

	public DeferredChunks(List<Object> chunks, int maxChars) {
		this.chunks = chunks;
		this.maxChars = maxChars;
	}

	/**
	 * The chunks' plain forms, while their JSON fits in {@code maxChars}: each chunk is measured as
	 * it is converted (one at a time, so that a chunk that cannot be converted falls back on its
	 * own), and the conversion stops at the first that passes the cap.
	 */
	public synchronized @Nullable Object get() {
		List<Object> c = chunks;
		if (c != null) {
			List<Object> out = new ArrayList<>(c.size());
			// Counted as the stream counted them while they were kept: the JSON of each and a comma.
			long size = 0;
			for (Object chunk : c) {
				ConversionBudget budget = new ConversionBudget(maxChars);
				Object p = Plain.of(chunk, budget);
				size += EventWriter.estimate(p) + 1;
				if (size > maxChars || budget.truncated()) {
					truncated = true;
					break;
				}
				out.add(p);
			}
			plain = RawShapes.fit(Collections.unmodifiableList(out), true);
			chunks = null;
		}
		return plain;
	}

	/** Whether chunks were left out by {@link #get()}; false before it ran. */
	public synchronized boolean truncated() {
		return truncated;
	}
}

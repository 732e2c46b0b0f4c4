package ai.phospho.reactive;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import ai.phospho.reactive.internal.Plain;
import ai.phospho.reactive.internal.RawShapes;
import org.jspecify.annotations.Nullable;

/**
 * A stream's {@code raw_output}: the chunks as emitted, turned into their plain forms the first
 * time the task's raw output is read, which is on the export worker (sizing the batch), not on the
 * stream's thread. Like the Python SDK's, which serialises on its consumer thread.
 */
final class DeferredChunks {

	private @Nullable List<Object> chunks;
	private @Nullable Object plain;

	DeferredChunks(List<Object> chunks) {
		this.chunks = chunks;
	}

	synchronized @Nullable Object get() {
		List<Object> c = chunks;
		if (c != null) {
			List<Object> out = new ArrayList<>(c.size());
			for (Object chunk : c) {
				// One at a time, so that a chunk that cannot be converted falls back on its own.
				out.add(Plain.of(chunk));
			}
			plain = RawShapes.fit(Collections.unmodifiableList(out), true);
			chunks = null;
		}
		return plain;
	}
}

package ai.phospho.reactive.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A stream's {@code raw_output}: the chunks as emitted, written once as the JSON of the event the
 * first time the task is sized or written, which is on the export worker, not on the stream's
 * thread (like the Python SDK, which serialises on its consumer thread). The chunks are written
 * straight from the objects ({@link RawChunksWriter}): no plain copy is made unless a reader asks
 * for {@link #get() the plain form} (a {@code TaskMasker}, {@code LoggedTask.toMap()}), which is
 * then read back from the JSON.
 */
public final class DeferredChunks {

	private final int maxChars;
	/** A text the chunks are pieces of, in order, every one a {@code String}; or null. */
	private final @Nullable String whole;
	private @Nullable List<Object> chunks;
	private @Nullable RawJson json;
	private @Nullable Object plain;
	private boolean truncated;

	public DeferredChunks(List<Object> chunks, int maxChars) {
		this(chunks, maxChars, null);
	}

	/**
	 * Chunks that are, when {@code whole} is not null, {@code String}s that are pieces of
	 * {@code whole}, in order (a stream's text chunks and the text they make).
	 */
	public DeferredChunks(List<Object> chunks, int maxChars, @Nullable String whole) {
		this.chunks = chunks;
		this.maxChars = maxChars;
		this.whole = whole;
	}

	/**
	 * The chunks' JSON array, while it fits in {@code maxChars}: the chunks are written one at a
	 * time, each counted with its comma, and the writing stops at the first that passes the cap
	 * (a chunk that cannot be written falls back on its own, as {@link #plainChunks} converts it).
	 * The chunks are then let go.
	 */
	public synchronized RawJson json() {
		return json(null);
	}

	/**
	 * {@link #json()}, told of a text found plain, printable ASCII with nothing to escape (the size
	 * estimate found the task's output so): when it is the text these chunks are pieces of, they are
	 * plain too, and are copied into the JSON without being read again.
	 */
	@SuppressWarnings("ReferenceEquality")
	public synchronized RawJson json(@Nullable String plainText) {
		RawJson j = json;
		if (j == null) {
			// The chunks are let go once written: json is set from then on.
			List<Object> c = Objects.requireNonNull(chunks, "chunks");
			RawChunksWriter w = new RawChunksWriter(maxChars);
			j = w.write(c, whole != null && plainText == whole);
			if (j == null) {
				// Chunks of mixed shapes: the slow path fits them to the backend's types.
				j = RawChunksWriter.plainToJson(plainChunks(c, maxChars, this));
			}
			else {
				truncated = w.truncated();
			}
			chunks = null;
			json = j;
		}
		return j;
	}

	/** The chunks' plain forms (see {@link #json()}), read back from the JSON the first time. */
	public synchronized @Nullable Object get() {
		Object p = plain;
		if (p == null) {
			p = json().plain();
			plain = p;
		}
		return p;
	}

	/** Whether chunks were left out for the cap: the chunks are written (once) to know it. */
	public synchronized boolean truncated() {
		json();
		return truncated;
	}

	/**
	 * The plain forms of the chunks, shaped for the backend ({@link RawShapes}): each chunk is
	 * measured as it is converted, and the conversion stops at the first that passes the cap. The
	 * path for chunks of mixed shapes, and the reference the direct writing is tested against.
	 */
	public static Object plainChunks(List<Object> c, int maxChars, @Nullable DeferredChunks flag) {
		List<Object> out = new ArrayList<>(c.size());
		// Counted as the stream counted them while they were kept: the JSON of each and a comma.
		long size = 0;
		for (Object chunk : c) {
			ConversionBudget budget = new ConversionBudget(maxChars);
			Object p = Plain.of(chunk, budget);
			size += EventWriter.estimate(p) + 1;
			if (size > maxChars || budget.truncated()) {
				if (flag != null) {
					flag.truncated = true;
				}
				break;
			}
			out.add(p);
		}
		Object fit = RawShapes.fit(Collections.unmodifiableList(out), true);
		return fit == null ? List.of() : fit;
	}
}

package ai.phospho.reactive;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The chunks of one captured stream: appended by the thread that delivers them, read once by
 * whichever thread logs the task, which may be another one (a cancel). No lock and no
 * read-modify-write per chunk: the single writer fills append-only arrays and publishes the count
 * with a release store; the reader acquires the count and sees a consistent prefix. Arrays are
 * replaced, never changed below the count, when they grow, and published through volatile fields.
 *
 * <p>Two caps, as {@link PhosphoOptions#maxFieldChars()}: the text keeps the first
 * {@code maxChars} characters (the chunk that crosses the cap is cut); the raw chunks are kept while
 * their text plus one per chunk fits in {@code maxChars}. Either cap reached flags the task
 * truncated. Past the text cap, chunks are only counted.
 */
final class Chunks {

	private static final VarHandle COUNT;
	private static final VarHandle LAST;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			COUNT = lookup.findVarHandle(Chunks.class, "count", int.class);
			LAST = lookup.findVarHandle(Chunks.class, "last", Object.class);
		}
		catch (ReflectiveOperationException e) {
			throw new ExceptionInInitializerError(e);
		}
	}

	private final int maxChars;

	// Written by the writer only.
	private int n;
	private long textUsed;
	private long rawUsed;
	private boolean rawOpen = true;

	// Read by the reader after acquiring count.
	private volatile String @Nullable [] texts;
	/** The chunks themselves; null while every chunk is the {@code String} that is its text. */
	private volatile Object @Nullable [] raws;
	@SuppressWarnings("unused") // through COUNT
	private int count;
	private int rawKept;
	private boolean truncated;
	/** Whether the text cap was reached: later chunks are only counted in {@link #total}. */
	private boolean textFull;
	@SuppressWarnings("unused") // through LAST
	private @Nullable Object last;
	/** Chunks seen, past the text cap too; read without synchronisation, so only once the text is full. */
	private int total;

	Chunks(int maxChars) {
		this.maxChars = maxChars;
	}

	/** Appends a chunk and its text. Writer thread only. */
	void add(Object chunk, String text) {
		total++;
		LAST.setRelease(this, chunk);
		if (textUsed >= maxChars) {
			if (!textFull) {
				truncated = true;
				textFull = true;
				COUNT.setRelease(this, n);
			}
			return;
		}
		int len = text.length();
		long room = maxChars - textUsed;
		String kept = text;
		if (len > room) {
			kept = Tasks.cut(text, (int) room);
			truncated = true;
		}
		textUsed += kept.length() == len ? len : room;
		int i = n;
		String[] ts = texts;
		if (ts == null || i == ts.length) {
			ts = grow(i);
		}
		ts[i] = kept;
		Object[] rs = raws;
		if (rs == null && chunk != text) {
			rs = Arrays.copyOf(ts, ts.length, Object[].class);
			raws = rs;
		}
		if (rs != null) {
			rs[i] = chunk;
		}
		if (rawOpen) {
			rawUsed += len + 1L;
			if (rawUsed <= maxChars) {
				rawKept = i + 1;
			}
			else {
				rawOpen = false;
				truncated = true;
			}
		}
		n = i + 1;
		COUNT.setRelease(this, n);
	}

	private String[] grow(int size) {
		String[] old = texts;
		String[] ts = old == null ? new String[16] : Arrays.copyOf(old, Math.max(16, size * 2));
		Object[] rs = raws;
		if (rs != null) {
			raws = Arrays.copyOf(rs, ts.length);
		}
		texts = ts;
		return ts;
	}

	/** What was gathered, as one consistent prefix. Read once, by the thread that logs the task. */
	Snapshot snapshot() {
		int c = (int) COUNT.getAcquire(this);
		String[] ts = texts;
		Object[] rs = raws;
		Object lastChunk = LAST.getAcquire(this);
		// Until the text is full every chunk seen is stored: the count is the prefix's, consistent
		// with its text. Past it, chunks are only counted, without ordering with the reader.
		int seen = textFull ? Math.max(total, c) : c;
		if (c == 0 || ts == null) {
			return new Snapshot("", List.of(), null, lastChunk, seen, truncated);
		}
		long length = 0;
		for (int i = 0; i < c; i++) {
			length += ts[i].length();
		}
		StringBuilder sb = new StringBuilder((int) Math.min(Integer.MAX_VALUE - 8, length));
		for (int i = 0; i < c; i++) {
			sb.append(ts[i]);
		}
		Object[] chunks = rs != null ? rs : ts;
		int kept = Math.min(rawKept, c);
		return new Snapshot(sb.toString(), Arrays.asList(chunks).subList(0, kept), chunks[0], lastChunk, seen,
				truncated);
	}

	/**
	 * @param text      the text of the chunks, cut at the cap
	 * @param raw       the chunks kept for {@code raw_output}, as emitted
	 * @param first     the first chunk, or null when none was kept
	 * @param last      the last chunk seen, past the caps too
	 * @param count     the chunks seen
	 * @param truncated whether a cap was reached
	 */
	record Snapshot(String text, List<Object> raw, @Nullable Object first, @Nullable Object last, int count,
			boolean truncated) {
	}
}

package ai.phospho.reactive;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.List;

import ai.phospho.reactive.internal.ArrayPrefix;
import org.jspecify.annotations.Nullable;

/**
 * The chunks of one captured stream: appended by the thread that delivers them, read once by
 * whichever thread logs the task, which may be another one (a cancel). No lock and no
 * read-modify-write per chunk: the single writer fills append-only arrays and publishes, with one
 * release store, a packed {@link #state} (entries stored, chunks seen, truncated); the reader
 * acquires it and sees a consistent prefix. Arrays are replaced, never changed below the published
 * entries, when they grow, and published through volatile fields.
 *
 * <p>Two caps, as {@link PhosphoOptions#maxFieldChars()}: the raw chunks are kept while their size
 * in the event (characters of JSON, as the caller measures it) fits in {@code maxChars}, so a stream
 * of chunks without text (audio, tool-call deltas) is bounded too; the text keeps the first {@code maxChars}
 * characters (the chunk that crosses the cap is cut). Past the raw cap only chunks with text are
 * stored, as text; past the text cap chunks are only counted. Either cap flags the task truncated.
 * So what is held is bounded by {@code 2 * maxChars} entries, whatever the chunks.
 */
final class Chunks {

	private static final VarHandle STATE;
	private static final VarHandle LAST;
	private static final long TRUNCATED = 1L << 31;
	/** The last chunk seen is the chunk of the last entry: {@link #last} is not written for it. */
	private static final long LAST_IS_ENTRY = 1L << 63;
	private static final int ENTRIES_MASK = 0x7FFF_FFFF;
	private static final int SEEN_MASK = 0x7FFF_FFFF;
	/** The largest array the JDK allocates safely. */
	private static final int MAX_ENTRIES = Integer.MAX_VALUE - 8;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			STATE = lookup.findVarHandle(Chunks.class, "state", long.class);
			LAST = lookup.findVarHandle(Chunks.class, "last", Object.class);
		}
		catch (ReflectiveOperationException e) {
			throw new ExceptionInInitializerError(e);
		}
	}

	private final int maxChars;

	// Written by the writer only.
	private int n;
	private int seen;
	private long textUsed;
	private long rawUsed;
	private boolean rawOpen = true;
	private boolean truncated;

	// Read by the reader after acquiring state.
	private volatile String @Nullable [] texts;
	/** The chunks themselves; null while every chunk is the {@code String} that is its text. Frozen once the raw cap is reached. */
	private volatile Object @Nullable [] raws;
	/** Entries kept as raw chunks; only grows, and stops at the raw cap. */
	private int rawKept;
	/** {@link #LAST_IS_ENTRY}, entries (bits 32 to 62), chunks seen (low 31 bits) and {@link #TRUNCATED}; through STATE. */
	@SuppressWarnings("unused")
	private long state;
	/** The last chunk seen, when it is not the last entry's (past the caps); through LAST. */
	@SuppressWarnings("unused") // through LAST
	private @Nullable Object last;

	Chunks(int maxChars) {
		this.maxChars = maxChars;
	}

	/**
	 * Appends a chunk, its text, and the size its raw form takes in the event, in characters of
	 * JSON (for a {@code String} chunk, its length and three). Writer thread only.
	 */
	void add(Object chunk, String text, long rawSize) {
		// The common case first: room in the array and under both caps, nothing cut.
		int i = n;
		String[] ts = texts;
		long used = textUsed + text.length();
		long raw = rawUsed + rawSize;
		if (rawOpen && ts != null && i < ts.length && textUsed < maxChars && used <= maxChars && raw <= maxChars
				&& seen < SEEN_MASK) {
			Object[] rs = raws;
			if (rs != null || chunk == text) {
				if (rs != null) {
					rs[i] = chunk;
				}
				ts[i] = text;
				textUsed = used;
				rawUsed = raw;
				rawKept = i + 1;
				n = i + 1;
				int s = ++seen;
				STATE.setRelease(this, ((long) (i + 1) << 32) | s | (truncated ? TRUNCATED : 0) | LAST_IS_ENTRY);
				return;
			}
		}
		addSlowly(chunk, text, rawSize);
	}

	private void addSlowly(Object chunk, String text, long rawSize) {
		if (seen < SEEN_MASK) {
			seen++;
		}
		int len = text.length();
		boolean entry = false;
		if (textUsed < maxChars && n < MAX_ENTRIES && (rawOpen || len > 0)) {
			entry = store(chunk, text, len, rawSize);
		}
		else {
			truncated = true;
		}
		if (!entry) {
			// Past a cap: the chunk is not the last entry's, so it is published on its own.
			LAST.setRelease(this, chunk);
		}
		STATE.setRelease(this, ((long) n << 32) | seen | (truncated ? TRUNCATED : 0) | (entry ? LAST_IS_ENTRY : 0));
	}

	/**
	 * Stores an entry past the caps' checks; whether the chunk itself is the entry's chunk (kept as
	 * a raw chunk, or the text that it is).
	 */
	private boolean store(Object chunk, String text, int len, long rawSize) {
		long room = maxChars - textUsed;
		String kept = text;
		if (len > room) {
			kept = TaskBuilder.cut(text, (int) room);
			truncated = true;
		}
		textUsed += kept.length() == len ? len : room;
		int i = n;
		String[] ts = texts;
		if (ts == null || i == ts.length) {
			ts = grow(i);
		}
		ts[i] = kept;
		if (rawOpen) {
			rawUsed += rawSize;
			if (rawUsed <= maxChars) {
				Object[] rs = raws;
				if (rs == null && chunk != text) {
					rs = Arrays.copyOf(ts, ts.length, Object[].class);
					raws = rs;
				}
				if (rs != null) {
					rs[i] = chunk;
				}
				rawKept = i + 1;
			}
			else {
				// From here on raws is frozen: nothing past rawKept is held as a chunk.
				rawOpen = false;
				truncated = true;
			}
		}
		n = i + 1;
		// Without raws, the texts are the chunks (a reader that finds raws made since has a copy of them).
		return raws != null ? rawKept == n : kept == chunk;
	}

	private String[] grow(int size) {
		String[] old = texts;
		// Four at first: most open streams hold a few chunks (48 bytes less each than sixteen).
		int length = old == null ? 4 : (int) Math.min(MAX_ENTRIES, Math.max(16L, size * 2L));
		String[] ts = old == null ? new String[length] : Arrays.copyOf(old, length);
		Object[] rs = raws;
		if (rs != null && rawOpen) {
			raws = Arrays.copyOf(rs, length);
		}
		texts = ts;
		return ts;
	}

	/** What was gathered, as one consistent prefix. Read once, by the thread that logs the task. */
	Snapshot snapshot() {
		long s = (long) STATE.getAcquire(this);
		int c = (int) (s >>> 32) & ENTRIES_MASK;
		int count = (int) (s & SEEN_MASK);
		boolean cut = (s & TRUNCATED) != 0;
		String[] ts = texts;
		Object[] rs = raws;
		if (c == 0 || ts == null) {
			return new Snapshot("", List.of(), null, LAST.getAcquire(this), count, cut, false);
		}
		Object[] chunks = rs != null ? rs : ts;
		Object lastChunk = (s & LAST_IS_ENTRY) != 0 ? chunks[c - 1] : LAST.getAcquire(this);
		// rawKept may be newer than the state read; entries below c are the ones published with it.
		int kept = Math.min(rawKept, c);
		// Without raws, every raw chunk is its own text: the raw chunks are pieces of the text, in order.
		return new Snapshot(join(ts, c, textUsed), ArrayPrefix.of(chunks, kept), kept > 0 ? chunks[0] : ts[0],
				lastChunk, count, cut, rs == null);
	}

	/**
	 * The first {@code c} texts, joined. {@code length} is the text's length as the writer counts
	 * it: exact when the writer is the reader, else a hint (a concurrent reader may see it ahead of
	 * the state read, or behind); the buffer grows if short. {@code getChars} into one array costs
	 * about two thirds of {@code StringBuilder.append} per text (its capacity and coder checks);
	 * the {@code String} made of the array is compact again when every character fits in a byte.
	 */
	static String join(String[] ts, int c, long length) {
		if (c == 1) {
			return ts[0];
		}
		char[] buf = new char[(int) Math.max(16, Math.min(length, MAX_ENTRIES))];
		int at = 0;
		for (int i = 0; i < c; i++) {
			String t = ts[i];
			int len = t.length();
			if (len > buf.length - at) {
				buf = Arrays.copyOf(buf, (int) Math.min(MAX_ENTRIES, Math.max(buf.length * 2L, (long) at + len)));
			}
			t.getChars(0, len, buf, at);
			at += len;
		}
		return new String(buf, 0, at);
	}

	/**
	 * What was gathered.
	 *
	 * @param text        the text of the chunks, cut at the cap
	 * @param raw         the chunks kept for {@code raw_output}, as emitted
	 * @param first       the first chunk (its text when no chunk was kept), or null when none was stored
	 * @param last        the last chunk seen, past the caps too
	 * @param count       the chunks seen
	 * @param truncated   whether a cap was reached by the chunks seen
	 * @param rawAreTexts every raw chunk is a {@code String} that is its own text, so the raw chunks
	 *                    are pieces of {@code text}, in order (a prefix of them, when the raw cap was
	 *                    reached first)
	 */
	record Snapshot(String text, List<Object> raw, @Nullable Object first, @Nullable Object last, int count,
			boolean truncated, boolean rawAreTexts) {
	}
}

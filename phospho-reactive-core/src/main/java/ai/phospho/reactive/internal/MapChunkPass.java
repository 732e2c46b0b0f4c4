package ai.phospho.reactive.internal;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One pass over a streamed chunk that is a map of OpenAI's shape (a non-empty {@code choices} whose
 * choice 0, if any, has a {@code delta}): reads, once each, the values that {@link StreamFacts#add},
 * {@link Extraction#chunkText}, {@link Extraction#isFinalChunk} and the chunk's size as
 * {@link EventWriter#roughSize} counts it depend on, instead of each of them walking the map.
 *
 * <p>The result is the same as theirs, or there is none: {@link #read} returns {@code false}, and
 * changes nothing, for any other shape, for maps and lists of classes other than the JDK's own
 * ({@code HashMap}, {@code LinkedHashMap}, {@code Map.of}, {@code ArrayList}, {@code List.of},
 * {@code Arrays.asList}: their reads cannot throw nor lie about their size), for a chunk whose size
 * passes the cap, and for anything that throws while read; the caller then applies the rules one by one.
 *
 * <p>The size without a walk: a map whose {@code size()} equals the number of keys found among the
 * ones probed has no other key, so its size is the sum over those keys, and the keys not probed are
 * absent. A map with other keys is walked as before. The sum does not depend on the order of the
 * entries, so it is {@code roughSize}'s own figure whenever it is within the cap.
 *
 * <p>One instance per stream, used by the stream's thread only; nothing is allocated per chunk.
 */
public final class MapChunkPass {

	/** What {@code get} gives for a key that is not there (a key mapped to null is there). */
	private static final Object ABSENT = new Object();
	private static final Class<?> MAP_1 = Map.of("k", "v").getClass();
	private static final Class<?> MAP_N = Map.of().getClass();
	private static final Class<?> LIST_12 = List.of("e").getClass();
	private static final Class<?> LIST_N = List.of().getClass();
	private static final Class<?> ARRAYS_LIST = Arrays.asList().getClass();

	/** An OpenAI chunk's keys besides {@code choices}, most frequent first; then the keys the rules read. */
	private static final String[] TOP = {"id", "model", "object", "created", "system_fingerprint", "usage",
		"service_tier", "obfuscation", "done", "eval_count", "prompt_eval_count"};
	private static final int ID = 0;
	private static final int MODEL = 1;
	private static final int USAGE = 5;
	private static final int DONE = 8;
	private static final int EVAL_COUNT = 9;
	private static final int PROMPT_EVAL_COUNT = 10;
	/** A choice's keys besides {@code delta}. */
	private static final String[] CHOICE = {"index", "finish_reason", "logprobs", "content_filter_results"};
	private static final int FINISH_REASON = 1;
	/** A delta's keys. */
	private static final String[] DELTA = {"content", "role", "refusal", "tool_calls"};
	private static final int CONTENT = 0;
	private static final int REFUSAL = 2;
	private static final int TOOL_CALLS = 3;

	// What the last read found; valid when it returned true.
	private @Nullable Object model;
	private @Nullable Object id;
	private @Nullable Object usage;
	private boolean done;
	private @Nullable Object finishReason;
	/** Whether choice 0 has a delta that is a map: its content, refusal and tool calls are then read. */
	private boolean deltaMap;
	private @Nullable Object content;
	private @Nullable Object refusal;
	private @Nullable Object toolCalls;
	private long size;

	/**
	 * Reads a chunk; {@code false} when it is not of the shape read here, or passes {@code cap} in
	 * size, or throws when read: nothing was taken from it then.
	 */
	public boolean read(Map<?, ?> chunk, long cap) {
		try {
			return readChunk(chunk, cap);
		}
		catch (Throwable e) {
			// The rules one by one meet the same failure, and report it.
			return false;
		}
	}

	private boolean readChunk(Map<?, ?> chunk, long cap) {
		// Classes tested by identity, then cast to their abstract class: no instanceof test against an
		// interface per chunk (each fails or misses a one-entry cache that the export worker's own
		// tests of the same classes overwrite, and then scans the class's interfaces).
		if (!isJdkMap(chunk.getClass())) {
			return false;
		}
		AbstractMap<?, ?> m = (AbstractMap<?, ?>) chunk;
		Object list = m.get("choices");
		if (list == null || !isJdkList(list.getClass())) {
			return false;
		}
		AbstractCollection<?> choices = (AbstractCollection<?>) list;
		if (choices.isEmpty()) {
			return false;
		}
		model = null;
		id = null;
		usage = null;
		done = false;
		int entries = m.size();
		int found = 1;
		long n = 2;
		for (int i = 0; i < TOP.length && found < entries; i++) {
			String key = TOP[i];
			Object v = value(m, key);
			if (v == ABSENT) {
				continue;
			}
			if (i == EVAL_COUNT || i == PROMPT_EVAL_COUNT) {
				// An Ollama count beside OpenAI's choices: read by the rules one by one.
				return false;
			}
			found++;
			n += key.length() + 4 + sizeOf(v, cap - n);
			switch (i) {
				case ID -> id = v;
				case MODEL -> model = v;
				case USAGE -> usage = v;
				case DONE -> done = Boolean.TRUE.equals(v);
				default -> {
				}
			}
		}
		long choicesSize = choicesSize(choices, cap - n);
		if (choicesSize < 0) {
			return false;
		}
		n += "choices".length() + 4 + choicesSize;
		if (found < entries) {
			// Keys of its own: walked whole, as before.
			n = EventWriter.roughSize(m, cap);
		}
		size = n;
		return n <= cap;
	}

	/**
	 * Reads choice 0 and gives the size of the list; -1 when a choice is not of the shape read here.
	 * One pass, each choice's {@code index} read once: choice 0 is the one with index 0, else the
	 * first without an index ({@link Extraction#firstChoice}); a choice's size does not depend on
	 * which one that is.
	 */
	private long choicesSize(AbstractCollection<?> choices, long cap) {
		finishReason = null;
		deltaMap = false;
		content = null;
		refusal = null;
		toolCalls = null;
		boolean found = false;
		AbstractMap<?, ?> unindexed = null;
		long n = 2;
		for (Object o : choices) {
			if (!found && o != null && isJdkMap(o.getClass())) {
				AbstractMap<?, ?> c = (AbstractMap<?, ?>) o;
				Object index = value(c, "index");
				if (index instanceof Number x && x.doubleValue() == 0) {
					found = true;
					long s = choiceSize(c, index, cap - n);
					if (s < 0) {
						return -1;
					}
					n += s + 1;
					continue;
				}
				if ((index == null || index == ABSENT) && unindexed == null) {
					unindexed = c;
				}
			}
			else if (!found && o instanceof Map<?, ?>) {
				return -1;
			}
			n += sizeOf(o, cap - n) + 1;
		}
		if (!found && unindexed != null && choiceSize(unindexed, value(unindexed, "index"), cap) < 0) {
			// The first choice without an index is choice 0: read for its facts, its size already counted.
			return -1;
		}
		return n;
	}

	/** A choice's size, and its facts read; {@code index} is its {@code index} value, already read. */
	private long choiceSize(AbstractMap<?, ?> c, @Nullable Object index, long cap) {
		Object delta = value(c, "delta");
		if (delta == ABSENT) {
			// A message, a completion's text, an annotation: the rules one by one.
			return -1;
		}
		int entries = c.size();
		int found = 1;
		long n = 2;
		if (index != ABSENT) {
			found++;
			n += "index".length() + 4 + sizeOf(index, cap - n);
		}
		for (int i = 1; i < CHOICE.length && found < entries; i++) {
			String key = CHOICE[i];
			Object v = value(c, key);
			if (v != ABSENT) {
				found++;
				n += key.length() + 4 + sizeOf(v, cap - n);
				if (i == FINISH_REASON) {
					finishReason = v;
				}
			}
		}
		long deltaSize;
		if (delta != null && isJdkMap(delta.getClass())) {
			deltaMap = true;
			deltaSize = deltaSize((AbstractMap<?, ?>) delta, cap - n);
		}
		else if (delta instanceof Map<?, ?>) {
			return -1;
		}
		else {
			deltaSize = sizeOf(delta, cap - n);
		}
		n += "delta".length() + 4 + deltaSize;
		return found < entries ? EventWriter.roughSize(c, cap) : n;
	}

	private long deltaSize(AbstractMap<?, ?> d, long cap) {
		int entries = d.size();
		int found = 0;
		long n = 2;
		for (int i = 0; i < DELTA.length && found < entries; i++) {
			String key = DELTA[i];
			Object v = value(d, key);
			if (v != ABSENT) {
				found++;
				n += key.length() + 4 + sizeOf(v, cap - n);
				switch (i) {
					case CONTENT -> content = v;
					case REFUSAL -> refusal = v;
					case TOOL_CALLS -> toolCalls = v;
					default -> {
					}
				}
			}
		}
		return found < entries ? EventWriter.roughSize(d, cap) : n;
	}

	/**
	 * {@link EventWriter#roughSize} of a value, the usual leaves by their class: a failed
	 * {@code instanceof Map} or {@code List} on an {@code Integer} scans its interfaces, per value.
	 */
	private static long sizeOf(@Nullable Object v, long cap) {
		if (v == null) {
			return 8;
		}
		Class<?> c = v.getClass();
		if (c == String.class) {
			return ((String) v).length() + 3L;
		}
		if (c == Integer.class || c == Long.class || c == Boolean.class || c == Double.class) {
			return 8;
		}
		return EventWriter.roughSize(v, cap);
	}

	/**
	 * The value of a key, {@link #ABSENT} when the map does not have it: one look-up in a
	 * {@code HashMap} or {@code LinkedHashMap} ({@code getOrDefault}), where a key mapped to null, as
	 * {@code finish_reason} is in most chunks, cost a second one ({@code containsKey}).
	 */
	@SuppressWarnings("unchecked")
	private static @Nullable Object value(AbstractMap<?, ?> m, String key) {
		Class<?> c = m.getClass();
		if (c == HashMap.class || c == LinkedHashMap.class) {
			return ((HashMap<Object, Object>) m).getOrDefault(key, ABSENT);
		}
		Object v = m.get(key);
		return v != null || m.containsKey(key) ? v : ABSENT;
	}

	private static boolean isJdkMap(Class<?> c) {
		return c == HashMap.class || c == LinkedHashMap.class || c == MAP_1 || c == MAP_N;
	}

	private static boolean isJdkList(Class<?> c) {
		return c == ArrayList.class || c == LIST_12 || c == LIST_N || c == ARRAYS_LIST;
	}

	/** The chunk's size as {@link EventWriter#roughSize} counts it (within the cap). */
	public long size() {
		return size;
	}

	/** {@link Extraction#chunkText} of the chunk read. */
	public String text() {
		return deltaMap ? Extraction.deltaText(content, refusal) : "";
	}

	/** {@link Extraction#isFinalChunk} of the chunk read: its choices are not empty, so only {@code done} ends it. */
	public boolean isFinal() {
		return done;
	}

	/** Adds what the chunk read says to {@code facts}, as {@link StreamFacts#add} would. */
	public void addTo(StreamFacts facts) {
		facts.add(model, id, finishReason, usage, deltaMap ? toolCalls : null);
	}
}

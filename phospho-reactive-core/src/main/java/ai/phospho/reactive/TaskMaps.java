package ai.phospho.reactive;

import java.util.LinkedHashMap;
import java.util.Map;

import ai.phospho.reactive.internal.ConversionBudget;
import ai.phospho.reactive.internal.EventWriter;
import ai.phospho.reactive.internal.Json;
import ai.phospho.reactive.internal.Plain;
import org.jspecify.annotations.Nullable;

/** The metadata and extra keys of a task, as plain values bounded as a whole by {@code maxFieldChars}. */
final class TaskMaps {

	/** Event fields without a setter of their own that the backend types as strings. */
	private static final String[] STRING_EXTRAS = {"test_id", "step_id"};

	private TaskMaps() {
	}

	/**
	 * The Context's metadata under the call's, as plain values, bounded as a whole by the budget's
	 * size: entries are kept in order while their JSON fits; the first that does not is kept as its
	 * JSON text cut to the room left, and the rest are left out (the budget says so).
	 */
	static @Nullable Map<String, Object> merge(@Nullable Map<String, Object> base, @Nullable Map<String, Object> top,
			ConversionBudget budget) {
		if ((base == null || base.isEmpty()) && (top == null || top.isEmpty())) {
			return null;
		}
		Map<String, Object> out = new LinkedHashMap<>();
		if (base != null) {
			out.putAll(base);
		}
		if (top != null) {
			out.putAll(plainMap(top, budget));
		}
		return cap(out, budget);
	}

	/** Extra top-level keys, as plain values, bounded as metadata is; the backend's string fields among them as strings. */
	static Map<String, Object> extras(Map<String, Object> extras, @Nullable ConversionBudget budget) {
		Map<String, Object> out = plainMap(extras, budget);
		for (String key : STRING_EXTRAS) {
			Object v = out.get(key);
			if (v != null && !(v instanceof String)) {
				out.put(key, Json.text(v));
			}
		}
		return budget == null ? out : cap(out, budget);
	}

	/** The entries as plain values; bounded when a budget is given. */
	static Map<String, Object> plainMap(Map<String, Object> map, @Nullable ConversionBudget budget) {
		Map<String, Object> out = new LinkedHashMap<>(Math.max(4, map.size() * 2));
		for (Map.Entry<String, Object> e : map.entrySet()) {
			out.put(e.getKey(), Plain.of(e.getValue(), budget));
		}
		return out;
	}

	private static Map<String, Object> cap(Map<String, Object> map, ConversionBudget budget) {
		long max = budget.max();
		if (EventWriter.estimate(map) <= max) {
			return map;
		}
		budget.markTruncated();
		Map<String, Object> out = new LinkedHashMap<>();
		long used = 2;
		for (Map.Entry<String, Object> e : map.entrySet()) {
			long size = e.getKey().length() + 4 + EventWriter.estimate(e.getValue());
			if (used + size <= max) {
				out.put(e.getKey(), e.getValue());
				used += size;
				continue;
			}
			long room = max - used - e.getKey().length() - 6;
			if (room > 0) {
				out.put(e.getKey(), cutToSize(Json.text(e.getValue()), room));
			}
			break;
		}
		return out;
	}

	/**
	 * The longest prefix of {@code s} whose JSON string body takes at most {@code size} bytes as
	 * {@link EventWriter#utf8Length} counts them (escapes included), without splitting a pair: a
	 * count of characters would be longer than a text of escapes (and past its end).
	 */
	static String cutToSize(String s, long size) {
		long used = 0;
		int i = 0;
		while (i < s.length()) {
			// A pair is kept or left out whole.
			int end = i + Character.charCount(s.codePointAt(i));
			long n = end - i;
			for (int j = i; j < end; j++) {
				n += EventWriter.extraBytes(s, j);
			}
			if (used + n > size) {
				break;
			}
			used += n;
			i = end;
		}
		return i == s.length() ? s : s.substring(0, i);
	}

}

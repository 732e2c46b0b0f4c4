package ai.phospho.reactive.internal;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import ai.phospho.reactive.PhosphoExtractor;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.Base64Variants;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.POJONode;

/**
 * Converts any value into its plain JSON form: an unmodifiable tree of {@code Map<String, Object>},
 * {@code List<Object>}, {@code String}, {@code Long}/{@code Double}/{@code BigInteger}/
 * {@code BigDecimal}, {@code Boolean} and {@code null}, copied so that later changes to the
 * caller's objects do not change what is logged. Records and beans go through Jackson; JDK types
 * that are not data (a {@code Thread}, a stream) and anything that fails (a cycle) fall back to
 * their string form: conversion never throws.
 */
public final class Plain {

	/** Nesting deeper than this is taken for a cycle. */
	static final int MAX_DEPTH = 64;

	private Plain() {
	}

	/** The plain form of {@code value}; never throws. */
	public static @Nullable Object of(@Nullable Object value) {
		return of(value, null);
	}

	/**
	 * The plain form of {@code value}, built with the work and memory bounded by {@code budget}:
	 * each string is cut a character past the budget's size, each list, array or collection keeps
	 * its first elements up to that size and, when more remain, its last ones up to it again (the
	 * last messages of a conversation are its input), and a map past that size keeps only the keys
	 * that extraction reads. What was cut sets {@link ConversionBudget#truncated()}. Never throws.
	 */
	public static @Nullable Object of(@Nullable Object value, @Nullable ConversionBudget budget) {
		if (budget != null) {
			budget.limit = budget.used + CONVERSION_LIMIT * budget.max;
		}
		try {
			return convert(value, 0, budget);
		}
		catch (Throwable e) {
			// A cycle, a collection changed while it was copied, a getter that throws (even an Error,
			// such as a NoClassDefFoundError): the string form.
			Failures.throwIfFatal(e);
			return stringForm(value);
		}
	}

	/**
	 * {@link #of(Object, ConversionBudget)} of a {@code value} that no built-in rule converts and
	 * whose first extractor to know it gave {@code extracted} ({@link PhosphoExtractor#toPlain}):
	 * the same plain form, without asking the extractors again.
	 */
	static @Nullable Object ofExtracted(Object value, Object extracted, ConversionBudget budget) {
		budget.limit = budget.used + CONVERSION_LIMIT * budget.max;
		try {
			return convert(extracted, 1, budget);
		}
		catch (Throwable e) {
			Failures.throwIfFatal(e);
			return stringForm(value);
		}
	}

	/** Whether {@code value} is already a plain scalar: no copy needed. */
	static boolean isScalar(@Nullable Object value) {
		return value == null || value instanceof String || value instanceof Boolean || value instanceof Long
				|| value instanceof Double || value instanceof Integer;
	}

	/**
	 * Whether {@link #convert} takes {@code value} by its own rules, before asking the extractors:
	 * the same list of types, in one place with it (the raw-output writer asks it).
	 */
	static boolean isBuiltIn(Object v) {
		return v instanceof Boolean || v instanceof String || v instanceof Number || v instanceof CharSequence
				|| v instanceof Character || v instanceof Enum<?> || v instanceof Map<?, ?> || v instanceof Collection<?>
				|| v instanceof byte[] || v.getClass().isArray() || v instanceof JsonNode || v instanceof Optional<?>;
	}

	private static @Nullable Object convert(@Nullable Object value, int depth, @Nullable ConversionBudget b) {
		if (depth > MAX_DEPTH) {
			throw NotPlain.INSTANCE;
		}
		if (value == null || value instanceof Boolean) {
			return count(b, 5, value);
		}
		if (value instanceof String s) {
			return string(s, b);
		}
		if (value instanceof Number n) {
			Object plain = number(n);
			return count(b, numberSize(plain), plain);
		}
		if (value instanceof CharSequence || value instanceof Character || value instanceof Enum<?>) {
			return string(value.toString(), b);
		}
		if (value instanceof Map<?, ?> map) {
			Map<String, Object> out = new LinkedHashMap<>(Math.max(4, Math.min(map.size(), 1024) * 2));
			long start = b == null ? 0 : b.used;
			for (Map.Entry<?, ?> e : map.entrySet()) {
				String key = String.valueOf(e.getKey());
				if (b != null && (b.used > b.limit || b.used - start > b.max && !EXTRACTED_KEYS.contains(key))) {
					b.truncated = true;
					continue;
				}
				out.put(key, convert(e.getValue(), depth + 1, b));
				count(b, key.length() + 4, null);
			}
			return Collections.unmodifiableMap(out);
		}
		if (value instanceof List<?> list && list instanceof RandomAccess) {
			return list(list.size(), list::get, depth, b);
		}
		if (value instanceof Collection<?> c) {
			List<Object> out = new ArrayList<>(Math.min(c.size(), 1024));
			long start = b == null ? 0 : b.used;
			for (Object o : c) {
				if (b != null && (b.used - start > b.max || b.used > b.limit)) {
					b.truncated = true;
					break;
				}
				out.add(convert(o, depth + 1, b));
				count(b, 1, null);
			}
			return Collections.unmodifiableList(out);
		}
		if (value instanceof byte[] bytes) {
			return bytes(bytes, depth, b);
		}
		if (value.getClass().isArray()) {
			return list(Array.getLength(value), i -> Array.get(value, i), depth, b);
		}
		if (value instanceof JsonNode node) {
			return node(node, depth, b);
		}
		if (value instanceof Optional<?> o) {
			return convert(o.orElse(null), depth + 1, b);
		}
		for (PhosphoExtractor extractor : Extractors.all()) {
			Object plain = Callbacks.extractorToPlain(extractor, value);
			if (plain != null) {
				return convert(plain, depth + 1, b);
			}
		}
		if (Json.isJdkType(value.getClass())) {
			// A Thread, a Path, a Duration: not data to serialise field by field.
			return string(value.toString(), b);
		}
		try {
			JsonNode tree = Json.MAPPER.valueToTree(value);
			return node(tree, depth, b);
		}
		catch (JacksonException | StackOverflowError e) {
			throw NotPlain.INSTANCE;
		}
		catch (RuntimeException e) {
			// Jackson wraps a getter's exception; an Error from a getter goes up to of() as it is.
			throw NotPlain.INSTANCE;
		}
	}

	/**
	 * What one bounded conversion builds at most, in multiples of the budget's size: each string,
	 * list and map is bounded on its own, so without it a value that holds the same list at every
	 * level (a few KB) would expand, level by level, into a tree twice as large each time.
	 */
	public static final int CONVERSION_LIMIT = 4;

	/** The keys extraction reads: kept in a map past its budget, so that the text extracted stays right. */
	private static final Set<String> EXTRACTED_KEYS = Set.of("messages", "model", "usage", "system", "choices",
			"message", "content", "role", "response", "done", "delta", "prompt", "text", "refusal", "tool_calls");

	private static <T> @Nullable T count(@Nullable ConversionBudget b, long size, @Nullable T value) {
		if (b != null) {
			b.used += size;
		}
		return value;
	}

	/** The characters of a long's JSON, without making its text; 24 for anything else. */
	private static int numberSize(Object plain) {
		if (plain instanceof Long l) {
			long v = l;
			int n = v < 0 ? 2 : 1;
			for (v = Math.abs(v / 10); v != 0; v /= 10) {
				n++;
			}
			return n;
		}
		return 24;
	}

	private static String string(String s, @Nullable ConversionBudget b) {
		if (b == null) {
			return s;
		}
		String kept = s;
		if (s.length() > b.max + 1) {
			// One character past the cap: the field that holds it is then cut, and flagged, where it is limited.
			kept = cut(s, (int) Math.min(Integer.MAX_VALUE - 8, b.max + 1));
			b.truncated = true;
		}
		b.used += kept.length() + 2;
		return kept;
	}

	private static String cut(String s, int end) {
		int e = end;
		if (e > 0 && Character.isHighSurrogate(s.charAt(e - 1))) {
			e--;
		}
		return s.substring(0, e);
	}

	/**
	 * A list read by index: the first elements while they fit the budget's size; when more remain,
	 * the last ones while they fit it again. The middle is left out and the budget says so.
	 */
	private static List<Object> list(int n, IntFunction<@Nullable Object> get, int depth, @Nullable ConversionBudget b) {
		List<Object> out = new ArrayList<>(b == null ? n : Math.min(n, 1024));
		long start = b == null ? 0 : b.used;
		int i = 0;
		for (; i < n; i++) {
			if (b != null && (b.used - start > b.max || b.used > b.limit)) {
				break;
			}
			out.add(convert(get.apply(i), depth + 1, b));
			count(b, 1, null);
		}
		if (i < n && b != null) {
			b.truncated = true;
			ArrayDeque<Object> tail = new ArrayDeque<>();
			long tailStart = b.used;
			for (int j = n - 1; j >= i && b.used - tailStart <= b.max && b.used <= b.limit; j--) {
				Object e = convert(get.apply(j), depth + 1, b);
				// ArrayDeque takes no null: a marker stands for it until the tail is copied.
				tail.addFirst(e == null ? NULL : e);
				b.used++;
			}
			for (Object e : tail) {
				out.add(e == NULL ? null : e);
			}
		}
		return Collections.unmodifiableList(out);
	}

	private static final Object NULL = new Object();

	private static @Nullable Object bytes(byte[] bytes, int depth, @Nullable ConversionBudget b) {
		if (b != null && bytes.length > 4 * b.max) {
			// Too large to parse for what is kept of it: its text, cut.
			return string(new String(bytes, 0, (int) Math.min(bytes.length, b.max + 4), StandardCharsets.UTF_8), b);
		}
		try {
			return node(Json.MAPPER.readTree(bytes), depth, b);
		}
		catch (JacksonException e) {
			return string(new String(bytes, StandardCharsets.UTF_8), b);
		}
	}

	private static @Nullable Object node(@Nullable JsonNode node, int depth, @Nullable ConversionBudget b) {
		if (depth > MAX_DEPTH) {
			throw NotPlain.INSTANCE;
		}
		if (node == null || node.isNull() || node.isMissingNode()) {
			return count(b, 4, null);
		}
		if (node.isString()) {
			return string(node.stringValue(), b);
		}
		if (node.isBoolean()) {
			return count(b, 5, node.booleanValue());
		}
		if (node.isNumber()) {
			Object plain = number(node.numberValue());
			return count(b, numberSize(plain), plain);
		}
		if (node.isObject()) {
			Map<String, Object> out = new LinkedHashMap<>(Math.max(4, Math.min(node.size(), 1024) * 2));
			long start = b == null ? 0 : b.used;
			for (Map.Entry<String, JsonNode> e : node.properties()) {
				if (b != null && (b.used > b.limit || b.used - start > b.max && !EXTRACTED_KEYS.contains(e.getKey()))) {
					b.truncated = true;
					continue;
				}
				out.put(e.getKey(), node(e.getValue(), depth + 1, b));
				count(b, e.getKey().length() + 4, null);
			}
			return Collections.unmodifiableMap(out);
		}
		if (node.isArray()) {
			return list(node.size(), i -> node.get(i), depth, b);
		}
		if (node.isBinary()) {
			// As Jackson writes a byte[]: base64 (its asString() adds quotes to it).
			return string(Base64Variants.getDefaultVariant().encode(node.binaryValue()), b);
		}
		if (node instanceof POJONode pojo && pojo.getPojo() instanceof byte[] bytes) {
			// A byte[] inside a record or bean, as Jackson writes it: base64, not the JSON text of it.
			return string(Base64Variants.getDefaultVariant().encode(bytes), b);
		}
		// Other POJO nodes
		return string(node.toString(), b);
	}


	/** The plain form of a number: see {@link #of(Object)}. */
	static Object number(Number n) {
		if (n instanceof Double d) {
			// JSON has no NaN or infinity.
			return Double.isFinite(d) ? d : (Object) d.toString();
		}
		if (n instanceof Long || n instanceof BigInteger || n instanceof BigDecimal) {
			return n;
		}
		if (n instanceof Integer || n instanceof Short || n instanceof Byte || n instanceof AtomicInteger
				|| n instanceof AtomicLong) {
			return n.longValue();
		}
		if (n instanceof Float f) {
			return Float.isFinite(f) ? (Object) Double.parseDouble(f.toString()) : (Object) f.toString();
		}
		double d = n.doubleValue();
		if (!Double.isFinite(d)) {
			return n.toString();
		}
		return d == Math.rint(d) && Math.abs(d) < 9.0e15 ? (Object) n.longValue() : (Object) d;
	}

	/** The string form of anything, even of a value whose {@code toString()} fails. */
	public static String stringForm(@Nullable Object value) {
		if (value == null) {
			return "";
		}
		try {
			return String.valueOf(value);
		}
		catch (Throwable e) {
			Failures.throwIfFatal(e);
			return value.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(value));
		}
	}

	/** Thrown inside conversion to fall back to the string form; no stack trace. */
	static final class NotPlain extends RuntimeException {
		static final NotPlain INSTANCE = new NotPlain();

		private NotPlain() {
			super("not plain", null, false, false);
		}
	}
}

package ai.phospho.reactive.internal;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import ai.phospho.reactive.PhosphoExtractor;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationConfig;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.ValueSerializerModifier;
import tools.jackson.databind.ser.bean.BeanSerializerBase;
import tools.jackson.databind.ser.impl.UnknownSerializer;
import tools.jackson.databind.ser.std.ToStringSerializer;

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

	static final JsonMapper MAPPER = JsonMapper.builder()
			.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.addModule(new SimpleModule("phospho-plain").setSerializerModifier(new JdkTypesAsStrings()))
			.build();

	private static final List<PhosphoExtractor> EXTRACTORS = loadExtractors();

	private Plain() {
	}

	/** The extractors found on the class path, in order. */
	public static List<PhosphoExtractor> extractors() {
		return EXTRACTORS;
	}

	/** The JSON mapper shared by phospho-reactive. */
	public static JsonMapper mapper() {
		return MAPPER;
	}

	/** The plain form of {@code value}; never throws. */
	public static @Nullable Object of(@Nullable Object value) {
		try {
			return convert(value, 0);
		}
		catch (Throwable e) {
			// A cycle, a collection changed while it was copied, a getter that throws (even an Error,
			// such as a NoClassDefFoundError): the string form.
			Failures.throwIfFatal(e);
			return stringForm(value);
		}
	}

	/** Whether {@code value} is already a plain scalar: no copy needed. */
	static boolean isScalar(@Nullable Object value) {
		return value == null || value instanceof String || value instanceof Boolean || value instanceof Long
				|| value instanceof Double || value instanceof Integer;
	}

	private static @Nullable Object convert(@Nullable Object value, int depth) {
		if (depth > MAX_DEPTH) {
			throw NotPlain.INSTANCE;
		}
		if (value == null || value instanceof String || value instanceof Boolean) {
			return value;
		}
		if (value instanceof Number n) {
			return number(n);
		}
		if (value instanceof CharSequence || value instanceof Character || value instanceof Enum<?>) {
			return value.toString();
		}
		if (value instanceof Map<?, ?> map) {
			Map<String, Object> out = new LinkedHashMap<>(Math.max(4, map.size() * 2));
			for (Map.Entry<?, ?> e : map.entrySet()) {
				out.put(String.valueOf(e.getKey()), convert(e.getValue(), depth + 1));
			}
			return Collections.unmodifiableMap(out);
		}
		if (value instanceof Collection<?> c) {
			List<Object> out = new ArrayList<>(c.size());
			for (Object o : c) {
				out.add(convert(o, depth + 1));
			}
			return Collections.unmodifiableList(out);
		}
		if (value instanceof byte[] bytes) {
			return bytes(bytes, depth);
		}
		if (value.getClass().isArray()) {
			int n = Array.getLength(value);
			List<Object> out = new ArrayList<>(n);
			for (int i = 0; i < n; i++) {
				out.add(convert(Array.get(value, i), depth + 1));
			}
			return Collections.unmodifiableList(out);
		}
		if (value instanceof JsonNode node) {
			return node(node, depth);
		}
		if (value instanceof Optional<?> o) {
			return convert(o.orElse(null), depth + 1);
		}
		for (PhosphoExtractor extractor : EXTRACTORS) {
			Object plain = Callbacks.extractorToPlain(extractor, value);
			if (plain != null) {
				return convert(plain, depth + 1);
			}
		}
		if (isJdkType(value.getClass())) {
			// A Thread, a Path, a Duration: not data to serialise field by field.
			return value.toString();
		}
		try {
			JsonNode tree = MAPPER.valueToTree(value);
			return node(tree, depth);
		}
		catch (JacksonException | StackOverflowError e) {
			throw NotPlain.INSTANCE;
		}
		catch (RuntimeException e) {
			// Jackson wraps a getter's exception; an Error from a getter goes up to of() as it is.
			throw NotPlain.INSTANCE;
		}
	}

	private static @Nullable Object bytes(byte[] bytes, int depth) {
		try {
			return node(MAPPER.readTree(bytes), depth);
		}
		catch (JacksonException e) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
	}

	private static @Nullable Object node(@Nullable JsonNode node, int depth) {
		if (depth > MAX_DEPTH) {
			throw NotPlain.INSTANCE;
		}
		if (node == null || node.isNull() || node.isMissingNode()) {
			return null;
		}
		if (node.isString()) {
			return node.stringValue();
		}
		if (node.isBoolean()) {
			return node.booleanValue();
		}
		if (node.isNumber()) {
			return number(node.numberValue());
		}
		if (node.isObject()) {
			Map<String, Object> out = new LinkedHashMap<>(Math.max(4, node.size() * 2));
			for (Map.Entry<String, JsonNode> e : node.properties()) {
				out.put(e.getKey(), node(e.getValue(), depth + 1));
			}
			return Collections.unmodifiableMap(out);
		}
		if (node.isArray()) {
			List<Object> out = new ArrayList<>(node.size());
			for (JsonNode e : node) {
				out.add(node(e, depth + 1));
			}
			return Collections.unmodifiableList(out);
		}
		if (node.isBinary()) {
			return node.asString();
		}
		// POJO nodes and others
		return node.toString();
	}

	private static Object number(Number n) {
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

	private static boolean isJdkType(Class<?> type) {
		String name = type.getName();
		return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
				|| name.startsWith("sun.") || name.startsWith("com.sun.") || type.isSynthetic()
				|| AtomicBoolean.class == type;
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

	/** The compact JSON text of a plain value; a string stays as it is. */
	public static String jsonText(@Nullable Object plain) {
		if (plain instanceof String s) {
			return s;
		}
		try {
			return MAPPER.writeValueAsString(plain);
		}
		catch (JacksonException e) {
			return stringForm(plain);
		}
	}

	private static List<PhosphoExtractor> loadExtractors() {
		List<PhosphoExtractor> found = new ArrayList<>();
		try {
			for (PhosphoExtractor e : ServiceLoader.load(PhosphoExtractor.class, Plain.class.getClassLoader())) {
				found.add(e);
			}
		}
		catch (RuntimeException | java.util.ServiceConfigurationError e) {
			Callbacks.reportOnce("ServiceLoader:" + PhosphoExtractor.class.getName(),
					"could not load a PhosphoExtractor; built-in extraction only", e);
		}
		found.sort((a, b) -> Integer.compare(a.order(), b.order()));
		return List.copyOf(found);
	}

	/**
	 * Inside records and beans, JDK types that Jackson would read as beans (a {@code Thread} with its
	 * stack trace and class loader, an {@code Object}) are written as their string form, as they are
	 * at the top level.
	 */
	private static final class JdkTypesAsStrings extends ValueSerializerModifier {
		@Override
		public ValueSerializer<?> modifySerializer(SerializationConfig config, BeanDescription.Supplier beanDesc,
				ValueSerializer<?> serializer) {
			if ((serializer instanceof BeanSerializerBase || serializer instanceof UnknownSerializer)
					&& isJdkType(beanDesc.getBeanClass())) {
				return ToStringSerializer.instance;
			}
			return serializer;
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

package ai.phospho.reactive.openai;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/** The JSON mapper of this module and the copies the records make of their collections. */
final class Json {

	/** Unknown fields are kept by the records themselves, so they never fail a read. */
	static final JsonMapper MAPPER = JsonMapper.builder()
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
			.disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
			.build();

	/**
	 * {@link #MAPPER}'s writer for one value after another on one generator: nothing between them,
	 * and the stream is not closed with the generator.
	 */
	static final ObjectWriter ROOT_VALUES = MAPPER.writer().withRootValueSeparator("")
			.without(StreamWriteFeature.AUTO_CLOSE_TARGET);

	private Json() {
	}

	/** An unmodifiable copy of the unknown fields, in wire order; JSON nulls are kept. */
	static Map<String, Object> extra(@Nullable Map<String, Object> extra) {
		if (extra == null || extra.isEmpty()) {
			return Map.of();
		}
		return Collections.unmodifiableMap(new LinkedHashMap<>(extra));
	}

	/** An unmodifiable copy, or null. */
	static <T> @Nullable List<T> list(@Nullable List<T> list) {
		return list == null ? null : Collections.unmodifiableList(new ArrayList<>(list));
	}

	/** An unmodifiable copy, or null. */
	static <V> @Nullable Map<String, V> map(@Nullable Map<String, V> map) {
		return map == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(map));
	}
}

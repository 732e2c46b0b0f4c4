package ai.phospho.reactive.langchain4j;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/** What a call's listener attributes say about its task. */
final class Attributes {

	private Attributes() {
	}

	static @Nullable String string(Map<Object, Object> attributes, String key) {
		Object v = attributes.get(key);
		return v == null ? null : String.valueOf(v);
	}

	static Map<String, Object> metadata(Map<Object, Object> attributes) {
		Map<String, Object> out = new LinkedHashMap<>();
		if (attributes.get(PhosphoChatModelListener.METADATA) instanceof Map<?, ?> m) {
			m.forEach((k, v) -> {
				if (k != null) {
					out.put(String.valueOf(k), v);
				}
			});
		}
		return out;
	}
}

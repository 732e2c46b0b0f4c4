package ai.phospho.reactive.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Fits a plain value into the shapes the backend's strict {@code raw_input}/{@code raw_output}
 * types allow: an object, a string, a list of objects or a list of strings ({@code raw_output}
 * lists may also hold nulls). Numbers and booleans become their JSON text; a mixed list becomes a
 * list of strings, objects written as JSON text.
 */
public final class RawShapes {

	private RawShapes() {
	}

	public static @Nullable Object fit(@Nullable Object plain, boolean nullElements) {
		if (plain == null || plain instanceof String || plain instanceof Map<?, ?>) {
			return plain;
		}
		if (plain instanceof List<?> list) {
			boolean allMaps = true;
			boolean allStrings = true;
			for (Object o : list) {
				if (o == null) {
					if (!nullElements) {
						allMaps = false;
						allStrings = false;
					}
					continue;
				}
				allMaps &= o instanceof Map<?, ?>;
				allStrings &= o instanceof String;
			}
			if (allMaps || allStrings) {
				return plain;
			}
			List<Object> out = new ArrayList<>(list.size());
			for (Object o : list) {
				out.add(o == null && nullElements ? null : Json.text(o));
			}
			return Collections.unmodifiableList(out);
		}
		return Json.text(plain);
	}
}

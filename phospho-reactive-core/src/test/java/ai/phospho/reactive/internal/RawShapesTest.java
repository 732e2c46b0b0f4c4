package ai.phospho.reactive.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** raw_input / raw_output only in the shapes the backend's strict types accept. */
class RawShapesTest {

	@Test
	void objectsStringsAndNullStayAsTheyAre() {
		assertThat(RawShapes.fit(Map.of("a", 1L), false)).isEqualTo(Map.of("a", 1L));
		assertThat(RawShapes.fit("s", false)).isEqualTo("s");
		assertThat(RawShapes.fit(null, false)).isNull();
	}

	@Test
	void listsOfObjectsOrOfStringsStayAsTheyAre() {
		assertThat(RawShapes.fit(List.of(Map.of(), Map.of("a", 1L)), false)).isEqualTo(List.of(Map.of(), Map.of("a", 1L)));
		assertThat(RawShapes.fit(List.of("a", "b"), false)).isEqualTo(List.of("a", "b"));
	}

	@Test
	void scalarsBecomeTheirJsonText() {
		assertThat(RawShapes.fit(12L, false)).isEqualTo("12");
		assertThat(RawShapes.fit(true, true)).isEqualTo("true");
		assertThat(RawShapes.fit(1.5d, true)).isEqualTo("1.5");
	}

	@Test
	void mixedListsBecomeListsOfStrings() {
		assertThat(RawShapes.fit(List.of(Map.of("a", 1L), "b", 3L, List.of(1L)), false))
				.isEqualTo(List.of("{\"a\":1}", "b", "3", "[1]"));
	}

	@Test
	void onlyRawOutputListsKeepNulls() {
		assertThat(RawShapes.fit(Arrays.asList(Map.of("a", 1L), null), true)).isEqualTo(Arrays.asList(Map.of("a", 1L), null));
		assertThat(RawShapes.fit(Arrays.asList("a", null), true)).isEqualTo(Arrays.asList("a", null));
		assertThat(RawShapes.fit(Arrays.asList("a", null), false)).isEqualTo(List.of("a", "null"));
	}
}

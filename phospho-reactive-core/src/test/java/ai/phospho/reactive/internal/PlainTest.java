package ai.phospho.reactive.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlainTest {

	enum Role { USER }

	record Attachment(String name, byte[] data) {
	}

	@Test
	void bytesInsideARecordAreTheirBase64AsJacksonWritesThem() {
		// Was the JSON text of the base64, quotes included ("\"AQID\""), before.
		assertThat(Plain.of(new Attachment("a", new byte[] {1, 2, 3}))).isEqualTo(Map.of("name", "a", "data", "AQID"));
		assertThat(Json.text(Plain.of(new Attachment("a", new byte[] {1, 2, 3}))))
				.isEqualTo(Json.mapper().writeValueAsString(new Attachment("a", new byte[] {1, 2, 3})));
	}

	@Test
	void numbersBecomeLongsDoublesOrExactBigNumbers() {
		assertThat(Plain.of(7)).isEqualTo(7L);
		assertThat(Plain.of((short) 7)).isEqualTo(7L);
		assertThat(Plain.of(new AtomicInteger(7))).isEqualTo(7L);
		assertThat(Plain.of(1.1f)).isEqualTo(1.1d);
		assertThat(Plain.of(2.5d)).isEqualTo(2.5d);
		assertThat(Plain.of(new BigInteger("123456789012345678901234567890")))
				.isEqualTo(new BigInteger("123456789012345678901234567890"));
		assertThat(Plain.of(new BigDecimal("0.1"))).isEqualTo(new BigDecimal("0.1"));
	}

	@Test
	void numbersJsonCannotHoldBecomeStrings() {
		assertThat(Plain.of(Double.NaN)).isEqualTo("NaN");
		assertThat(Plain.of(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
		assertThat(Plain.of(Float.POSITIVE_INFINITY)).isEqualTo("Infinity");
	}

	@Test
	void textLikeValuesBecomeStrings() {
		assertThat(Plain.of(new StringBuilder("sb"))).isEqualTo("sb");
		assertThat(Plain.of('c')).isEqualTo("c");
		assertThat(Plain.of(Role.USER)).isEqualTo("USER");
	}

	@Test
	@SuppressWarnings("unchecked")
	void containersAreCopiedIntoUnmodifiableMapsAndLists() {
		Map<Object, Object> map = new LinkedHashMap<>();
		map.put(1, List.of("a"));
		map.put("opt", Optional.of(2));
		map.put("empty", Optional.empty());
		map.put("array", new int[] {1, 2});
		Set<String> set = new HashSet<>(List.of("only"));
		map.put("set", set);

		Object plain = Plain.of(map);

		Map<String, Object> expected = new LinkedHashMap<>();
		expected.put("1", List.of("a"));
		expected.put("opt", 2L);
		expected.put("empty", null);
		expected.put("array", List.of(1L, 2L));
		expected.put("set", List.of("only"));
		assertThat(plain).isEqualTo(expected);
		assertThatThrownBy(() -> ((Map<String, Object>) plain).put("x", 1))
				.isInstanceOf(UnsupportedOperationException.class);
		set.add("later");
		assertThat(((Map<?, ?>) plain).get("set")).isEqualTo(List.of("only"));
	}

	@Test
	void bytesHoldingJsonAreParsedAndOtherBytesAreText() {
		assertThat(Plain.of("{\"a\":[1,null]}".getBytes(StandardCharsets.UTF_8)))
				.isEqualTo(Map.of("a", Arrays.asList(1L, null)));
		assertThat(Plain.of("d\u00e9j\u00e0 vu".getBytes(StandardCharsets.UTF_8))).isEqualTo("d\u00e9j\u00e0 vu");
	}

	@Test
	void nestingBeyondTheDepthLimitFallsBackToTheStringForm() {
		List<Object> deep = new ArrayList<>();
		List<Object> current = deep;
		for (int i = 0; i < Plain.MAX_DEPTH + 5; i++) {
			List<Object> next = new ArrayList<>();
			current.add(next);
			current = next;
		}

		assertThat(Plain.of(deep)).isEqualTo(deep.toString());
	}

	@Test
	void aToStringThatThrowsStillGivesAStringForm() {
		Object bad = new Object() {
			@Override
			public String toString() {
				throw new IllegalStateException("no");
			}
		};

		assertThat(Plain.stringForm(bad)).startsWith(bad.getClass().getName() + "@");
		assertThat(Plain.stringForm(null)).isEmpty();
	}

	@Test
	void jsonTextKeepsStringsAndWritesEverythingElseCompactly() {
		assertThat(Json.text("as is")).isEqualTo("as is");
		assertThat(Json.text(Map.of("k", List.of(1L, true)))).isEqualTo("{\"k\":[1,true]}");
		assertThat(Json.text(null)).isEqualTo("null");
	}
}

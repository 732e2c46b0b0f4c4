package ai.phospho.reactive.internal;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import ai.phospho.reactive.SpiTestExtractor;
import ai.phospho.reactive.TypedChunkExtractor;
import ai.phospho.reactive.WritingTestExtractor;
import ai.phospho.reactive.WritingTestExtractor.Good;
import ai.phospho.reactive.WritingTestExtractor.Huge;
import ai.phospho.reactive.WritingTestExtractor.Liar;
import ai.phospho.reactive.WritingTestExtractor.Nothing;
import ai.phospho.reactive.WritingTestExtractor.Throws;
import ai.phospho.reactive.WritingTestExtractor.TwoValues;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream's raw output written straight from its chunks ({@link DeferredChunks#json()}) is, byte
 * for byte, what the plain copy of the chunks ({@link DeferredChunks#plainChunks}, the way it was
 * made before) is written as: for strings of every kind, maps of every plain type, records written
 * by Jackson, types of extractors that write them, and everything the direct writing hands back to
 * the conversion (a key that is not a string, a map that throws, a cycle, an extractor that writes
 * wrong). The cap is exact and the work past it bounded.
 */
class RawChunksWriterTest {

	static final int MAX = 100_000;

	/** A chunk type no extractor knows: written by Jackson as a bean, as Plain converts it. */
	public record Delta(String content, float score, double ratio, double notANumber, List<String> tags,
			Map<String, Object> extra, Instant at, byte[] data, Optional<String> refusal, Role role, char grade) {
	}

	public enum Role { ASSISTANT }

	static byte[] reference(List<Object> chunks, int max) {
		Object plain = DeferredChunks.plainChunks(chunks, max, null);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (JsonGenerator g = Json.mapper().createGenerator(out)) {
			EventWriter.writeValue(g, plain);
		}
		return out.toByteArray();
	}

	static String written(List<Object> chunks, int max) {
		return new DeferredChunks(chunks, max).json().getValue();
	}

	static void assertSameAsPlainCopy(List<Object> chunks) {
		assertSameAsPlainCopy(chunks, -1);
	}

	/** With the number of chunks converted the plain way, when it is known (not -1). */
	static void assertSameAsPlainCopy(List<Object> chunks, long converted) {
		long before = RawChunksWriter.CONVERTED.sum();
		String got = written(chunks, MAX);
		if (converted >= 0) {
			assertThat(RawChunksWriter.CONVERTED.sum() - before).as("chunks converted").isEqualTo(converted);
		}
		String expected = new String(reference(chunks, MAX), StandardCharsets.UTF_8);
		assertThat(got).isEqualTo(expected);
		// Read back, the plain form is the plain copy's.
		assertThat(new DeferredChunks(chunks, MAX).get()).isEqualTo(DeferredChunks.plainChunks(chunks, MAX, null));
	}

	static Map<String, Object> openAiChunk(String content, Object finishReason) {
		Map<String, Object> delta = new LinkedHashMap<>();
		delta.put("content", content);
		Map<String, Object> choice = new LinkedHashMap<>();
		choice.put("index", 0);
		choice.put("delta", delta);
		choice.put("logprobs", null);
		choice.put("finish_reason", finishReason);
		Map<String, Object> chunk = new LinkedHashMap<>();
		chunk.put("id", "chatcmpl-123");
		chunk.put("object", "chat.completion.chunk");
		chunk.put("created", 1_694_268_190L);
		chunk.put("model", "gpt-4o-mini");
		chunk.put("system_fingerprint", "fp_44709d6fcb");
		chunk.put("choices", List.of(choice));
		return chunk;
	}

	@Test
	void stringsOfEveryKindAreWrittenAsThePlainCopy() {
		assertSameAsPlainCopy(List.of("Hello", "", " world", "quote \" backslash \\ slash / tab \t nl \n",
				"\u0000\u0001\u001f\u007f", "é à ü", "中文", "emoji \uD83D\uDE00 pair", "lone \uD800 surrogate",
				"\u2028\u2029", "[DONE]"), 0);
	}

	@Test
	void openAiMapsAndEveryPlainTypeAreWrittenAsThePlainCopy() {
		Map<String, Object> numbers = new LinkedHashMap<>();
		numbers.put("int", 7);
		numbers.put("long", Long.MIN_VALUE);
		numbers.put("short", (short) -3);
		numbers.put("byte", (byte) 9);
		numbers.put("atomic", new AtomicLong(12));
		numbers.put("double", 0.1);
		numbers.put("tiny", 1.0E-7);
		numbers.put("float", 1.1f);
		numbers.put("nan", Double.NaN);
		numbers.put("inf", Double.NEGATIVE_INFINITY);
		numbers.put("fnan", Float.POSITIVE_INFINITY);
		numbers.put("big", new BigInteger("123456789012345678901234567890"));
		numbers.put("dec", new BigDecimal("1.50"));
		numbers.put("bool", true);
		numbers.put("null", null);
		numbers.put("nested", List.of(List.of(1, 2), Map.of("k", "v"), Collections.emptyMap()));
		numbers.put("unmodifiable", Collections.unmodifiableMap(new TreeMap<>(Map.of("b", 2, "a", 1))));
		List<Object> chunks = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			chunks.add(openAiChunk("token " + i + " \"q\"", i == 49 ? "stop" : null));
		}
		chunks.add(numbers);
		assertSameAsPlainCopy(chunks, 0);
	}

	@Test
	void chunkKeysAreWrittenAsThePlainCopyWhetherKnownOrNot() {
		Map<String, Object> map = new LinkedHashMap<>();
		// The keys the writer knows, as literals and as equal strings that are other objects (not interned).
		for (String k : new String[] {"id", "object", "created", "model", "choices", "index", "delta", "content", "role",
			"finish_reason", "logprobs", "refusal", "tool_calls", "usage", "total_tokens", "done", "eval_count"}) {
			Map<String, Object> other = new LinkedHashMap<>();
			other.put(new String(k.toCharArray()), k);
			map.put(k, other);
		}
		// Others, some of whose hashes fall in a known key's slot (the table has 256); and keys to escape.
		for (int i = 0; i < 300; i++) {
			map.put("k" + i, i);
		}
		map.put("quote \" key", "v");
		map.put("clé\n\u0001", List.of(Map.of(new String("content".toCharArray()), "x")));
		Map<String, Object> chunk = new HashMap<>(map);
		assertSameAsPlainCopy(List.of(map, chunk, openAiChunk("a", null), map));
	}

	@Test
	void whatTheDirectWritingDoesNotTakeIsConvertedAsBefore() {
		Map<Object, Object> integerKeys = new TreeMap<>(Map.of(1, "one", 2, "two"));
		Map<String, Object> withRecord = new LinkedHashMap<>(Map.of("delta", delta("in a map")));
		Map<String, Object> withOptional = new LinkedHashMap<>(Map.of("o", Optional.of("x"), "e", Role.ASSISTANT,
				"c", 'c', "sb", new StringBuilder("sb")));
		Map<String, Object> withLinkedList = new LinkedHashMap<>(Map.of("l", new LinkedList<>(List.of(1, 2))));
		Map<String, Object> cycle = new LinkedHashMap<>();
		cycle.put("self", cycle);
		Map<String, Object> throwing = new AbstractMap<>() {
			@Override
			public Set<Entry<String, Object>> entrySet() {
				throw new IllegalStateException("unreadable");
			}

			@Override
			public String toString() {
				return "throwing map";
			}
		};
		for (Object chunk : List.of(integerKeys, withRecord, withOptional, withLinkedList, cycle, throwing)) {
			assertSameAsPlainCopy(List.of(openAiChunk("before", null), chunk, openAiChunk("after", "stop")), 1);
		}
	}

	static Delta delta(String content) {
		return new Delta(content, 0.1f, 2.5, Double.NaN, List.of("a", "b"), Map.of("k", List.of(1L, 2L)),
				Instant.parse("2026-11-29T10:15:30Z"), new byte[] {1, 2, 3}, Optional.empty(), Role.ASSISTANT, 'A');
	}

	@Test
	void recordsNoExtractorKnowsAreWrittenByJacksonAsThePlainCopy() {
		List<Object> chunks = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			chunks.add(delta("token " + i));
		}
		assertSameAsPlainCopy(chunks, 0);
	}

	@Test
	void anExtractorThatWritesItsTypeIsUsedAndOneThatWritesWrongIsNot() {
		List<Object> chunks = List.of(new Good("a", 1), new TwoValues("t"), new Good("b \u00e9", 2), new Nothing("n"),
				new Liar("l"), new Throws("x"), new Good("c", 3));
		String got = written(chunks, MAX);
		assertThat(got).isEqualTo(new String(reference(chunks, MAX), StandardCharsets.UTF_8));
		JsonNode tree = Json.mapper().readTree(got);
		assertThat(tree.size()).isEqualTo(7);
		assertThat(tree.get(1).get("two").asString()).isEqualTo("t");
		assertThat(tree.get(3).get("nothing").asString()).isEqualTo("n");
		assertThat(tree.get(4).get("liar").asString()).isEqualTo("l");
		assertThat(tree.get(5).get("throws").asString()).isEqualTo("x");
		assertThat(Callbacks.wasReported("writeJson:" + WritingTestExtractor.class.getName())).isTrue();
	}

	@Test
	void anExtractorsPlainFormIsWrittenAsItIsWithoutAskingTwice() {
		List<Object> chunks = List.of(new SpiTestExtractor.Typed("a"), new TypedChunkExtractor.Chunk("b", false),
				new SpiTestExtractor.Broken(), new TypedChunkExtractor.Chunk("c", true));
		assertSameAsPlainCopy(chunks, 0);
		assertThat(Callbacks.wasReported("toPlain:" + SpiTestExtractor.class.getName())).isTrue();
	}

	@Test
	void chunksOfMixedShapesAreFittedAsBefore() {
		assertSameAsPlainCopy(List.of(openAiChunk("a", null), "plain text", 42, List.of(1, 2), true));
		assertSameAsPlainCopy(List.of(1, 2, 3));
		assertSameAsPlainCopy(List.of(Optional.empty(), "text", Optional.empty()));
	}

	@Test
	void theCapKeepsTheLongestPrefixThatFitsExactly() {
		List<Object> chunks = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			chunks.add(i % 3 == 0 ? openAiChunk("t" + i, null) : Map.of("k", "v".repeat(i % 17)));
		}
		// Each chunk's JSON as Jackson writes it on its own, not as the writer under test sizes it.
		List<byte[]> each = new ArrayList<>();
		for (Object c : chunks) {
			each.add(("[" + Json.mapper().writeValueAsString(c) + "]").getBytes(StandardCharsets.UTF_8));
		}
		for (int max = 1; max < 6_000; max += 7) {
			long size = 0;
			int kept = 0;
			for (byte[] b : each) {
				// The stream's own account: each chunk's JSON and a comma.
				if (size + b.length - 2 + 1 > max) {
					break;
				}
				size += b.length - 2 + 1;
				kept++;
			}
			DeferredChunks d = new DeferredChunks(chunks, max);
			JsonNode tree = Json.mapper().readTree(d.json().getValue());
			assertThat(tree.size()).as("max %d", max).isEqualTo(kept);
			assertThat(d.truncated()).as("max %d", max).isEqualTo(kept < chunks.size());
			assertThat(d.json().length()).isLessThanOrEqualTo(max + 1);
		}
	}

	@Test
	void stringChunksKeepTheLongestPrefixThatFitsExactlyAsThePlainCopy() {
		List<Object> chunks = new ArrayList<>();
		String[] kinds = {"tok ", "", "quote \" and \\", "\u0001\n", "é à", "中文", "\uD83D\uDE00", "lone \uD83D",
			"\uDE00 lone"};
		for (int i = 0; i < 120; i++) {
			chunks.add(kinds[i % kinds.length] + i);
		}
		assertLongestPrefixAsThePlainCopy(chunks);
		// A run of plain ASCII chunks first (written without the generator until the first other one),
		// the characters at the edges of plain among them.
		List<Object> plainFirst = new ArrayList<>();
		for (int i = 0; i < 150; i++) {
			plainFirst.add("tok" + i + " ");
			if (i % 30 == 7) {
				plainFirst.add(String.valueOf((char) (0x1F + i % 4)) + "\u007e\u007f");
			}
		}
		plainFirst.add("\u0080 after");
		plainFirst.addAll(chunks);
		plainFirst.add("plain again");
		assertLongestPrefixAsThePlainCopy(plainFirst);
		// Strings first, then other shapes: written on, or fitted as before.
		assertSameAsPlainCopy(List.of("text", "more", openAiChunk("a", null)));
		assertSameAsPlainCopy(List.of("a", "b", 42, "c"));
		assertSameAsPlainCopy(List.of("a", "b", Map.of(), "c"));
	}

	private static void assertLongestPrefixAsThePlainCopy(List<Object> chunks) {
		for (int max = 1; max < 2_500; max += 3) {
			DeferredChunks d = new DeferredChunks(chunks, max);
			String expected = new String(reference(chunks, max), StandardCharsets.UTF_8);
			assertThat(d.json().getValue()).as("max %d", max).isEqualTo(expected);
			assertThat(d.truncated()).as("max %d", max).isEqualTo(Json.mapper().readTree(expected).size() < chunks.size());
		}
	}

	@Test
	void aHugeChunkIsLeftOutWithoutWritingItAll() {
		WritingTestExtractor.HUGE_ATTEMPTED.set(0);
		DeferredChunks d = new DeferredChunks(List.of(new Good("kept", 1), new Huge(50_000_000), new Good("after", 2)),
				10_000);
		assertThat(d.json().getValue()).isEqualTo(written(List.of(new Good("kept", 1)), 10_000));
		assertThat(d.truncated()).isTrue();
		// The cap, the buffer's margin and one write: not the 50 MB.
		assertThat(WritingTestExtractor.HUGE_ATTEMPTED.get()).isLessThan(10_000 + 64 * 1024 + 2048);
	}

	@Test
	void aHugeStringOrMapIsLeftOutAndWhatPrecedesItKept() {
		String big = "y".repeat(200_000);
		List<Object> chunks = List.of("a", "b", big, "c");
		assertThat(written(chunks, 10_000)).isEqualTo("[\"a\",\"b\"]");
		List<Object> maps = List.of(Map.of("k", "a"), Map.of("k", big), Map.of("k", "c"));
		assertThat(written(maps, 10_000)).isEqualTo("[{\"k\":\"a\"}]");
	}

	@Test
	void aRawOutputReadAsPlainFirstIsWrittenFromItsPlainForm() {
		List<Object> chunks = List.of(openAiChunk("a", null), openAiChunk("b", "stop"));
		DeferredChunks d = new DeferredChunks(chunks, MAX);
		Object plain = d.get();
		assertThat(d.get()).isSameAs(plain);
		assertThat(d.json().getValue()).isEqualTo(new String(reference(chunks, MAX), StandardCharsets.UTF_8));
		assertThat(d.truncated()).isFalse();
	}
}

package ai.phospho.reactive.internal;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.annotation.JsonRawValue;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Review of the direct writing of a stream's raw output ({@link RawChunksWriter}): chunks and
 * extractors that the first tests did not try. Each test states what the plain copy (the way it
 * was made before) gives and the direct writing must give too.
 */
class RawChunksHostileTest {

	static final int MAX = 100_000;

	static String reference(List<Object> chunks, int max) {
		Object plain = DeferredChunks.plainChunks(chunks, max, null);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (JsonGenerator g = Json.mapper().createGenerator(out)) {
			EventWriter.writeValue(g, plain);
		}
		return out.toString(StandardCharsets.UTF_8);
	}

	static String written(List<Object> chunks, int max) {
		return new DeferredChunks(chunks, max).json().getValue();
	}

	/** A tool-call delta that holds its arguments as JSON text, as some clients model them. */
	public record RawArguments(String id, @JsonRawValue String arguments) {
	}

	/** A bean with a number Jackson writes through {@code writeNumber(String)}. */
	public record Counted(String id, LongAdder count) {
	}

	@Test
	void aRawValueInsideABeanIsWrittenAsTheStringItIsNotSpliced() {
		// "" and text that is not JSON would make the event, and its whole batch, unreadable.
		List<Object> chunks = List.of(new RawArguments("a", "{\"x\":1}"), new RawArguments("b", ""),
				new RawArguments("c", "not json"));
		String got = written(chunks, MAX);
		assertThat(got).isEqualTo(reference(chunks, MAX));
		assertThat(Json.mapper().readTree(got).size()).isEqualTo(3);
	}

	@Test
	void aNumberWrittenFromItsTextIsWrittenAsThePlainCopy() {
		LongAdder n = new LongAdder();
		n.add(5);
		List<Object> chunks = List.of(new Counted("a", n));
		assertThat(written(chunks, MAX)).isEqualTo(reference(chunks, MAX));
	}

	/** A linked list of records: {@code depth} levels of objects. */
	public record Node(String name, Node child) {
	}

	static Node nodes(int depth) {
		Node n = new Node("leaf", null);
		for (int i = 1; i < depth; i++) {
			n = new Node("n" + i, n);
		}
		return n;
	}

	@Test
	void aBeanDeeperThanPlainTakesIsWrittenAsItsStringFormAsBefore() {
		for (int depth = 60; depth <= 70; depth++) {
			List<Object> chunks = List.of(nodes(depth), nodes(3));
			assertThat(written(chunks, MAX)).as("depth %d", depth).isEqualTo(reference(chunks, MAX));
		}
	}

	static Map<String, Object> nested(int depth) {
		Map<String, Object> m = new LinkedHashMap<>();
		Map<String, Object> cur = m;
		for (int i = 1; i < depth; i++) {
			Map<String, Object> n = new LinkedHashMap<>();
			cur.put("k", n);
			cur = n;
		}
		cur.put("leaf", "v");
		return m;
	}

	@Test
	void deepChunksAreReadBackAsTheirPlainCopy() {
		// LoggedTask.rawOutput(), toMap() and a TaskMasker read this; it was the plain copy itself.
		for (int depth = 60; depth <= 66; depth++) {
			List<Object> chunks = List.of(nested(depth));
			Object old = DeferredChunks.plainChunks(chunks, MAX, null);
			assertThat(new DeferredChunks(chunks, MAX).get()).as("depth %d", depth).isEqualTo(old);
		}
	}

	@Test
	void aLongNumberIsReadBackAsThePlainCopy() {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("n", new java.math.BigInteger("9".repeat(1_500)));
		List<Object> chunks = List.of(m);
		assertThat(new DeferredChunks(chunks, MAX).get()).isEqualTo(DeferredChunks.plainChunks(chunks, MAX, null));
	}

	@Test
	void anExtractorsBytesThatAreNotUtf8AreNotWrittenIntoTheEvent() {
		List<Object> chunks = List.of(new ai.phospho.reactive.WritingTestExtractor.NotUtf8("x"));
		RawJson j = new DeferredChunks(chunks, MAX).json();
		assertThat(isUtf8(j.asUnquotedUTF8())).as(j.getValue()).isTrue();
		assertThat(j.getValue()).isEqualTo(reference(chunks, MAX));
	}

	@Test
	void anExtractorThatWritesOnSeveralLinesDoesNotBreakAJsonLinesFile() {
		// JsonLinesTaskExporter writes one event per line; a pretty printer (INDENT_OUTPUT) writes line breaks.
		List<Object> chunks = List.of(new ai.phospho.reactive.WritingTestExtractor.Pretty("p"), Map.of("k", "v"));
		String got = written(chunks, MAX);
		assertThat(got).doesNotContain("\n").doesNotContain("\r");
		assertThat(got).isEqualTo(reference(chunks, MAX));
	}

	@Test
	void anExtractorThatWritesToAStreamItKeptCannotCorruptTheRawOutput() {
		List<Object> chunks = List.of(new ai.phospho.reactive.WritingTestExtractor.Keeps("a"), Map.of("k", "v"),
				new ai.phospho.reactive.WritingTestExtractor.WritesLater("b"));
		String got = written(chunks, MAX);
		assertThat(got).isEqualTo(reference(chunks, MAX));
		// Written to after the raw output was made: nothing else changes.
		String again = written(List.of(Map.of("k", "v"), Map.of("k", "w")), MAX);
		new DeferredChunks(List.of(new ai.phospho.reactive.WritingTestExtractor.WritesLater("c")), MAX).json();
		assertThat(again).isEqualTo("[{\"k\":\"v\"},{\"k\":\"w\"}]");
	}

	@Test
	void anExtractorThatOnlyConvertsIsAskedOncePerChunk() {
		// As Spring AI's and LangChain4j's: their toPlain is the cost of the chunk.
		List<Object> chunks = List.of(new ai.phospho.reactive.WritingTestExtractor.ConvertedOnly("a"),
				new ai.phospho.reactive.WritingTestExtractor.ConvertedOnly("b"), Map.of("k", "v"));
		String expected = reference(chunks, MAX);
		long before = ai.phospho.reactive.WritingTestExtractor.CONVERTED_ONLY_CALLS.get();
		assertThat(written(chunks, MAX)).isEqualTo(expected);
		assertThat(ai.phospho.reactive.WritingTestExtractor.CONVERTED_ONLY_CALLS.get() - before).isEqualTo(2);
	}

	@Test
	void aMapWithTheSameKeyTwiceIsWrittenAsThePlainCopy() {
		Map<String, Object> m = new IdentityHashMap<>();
		m.put("a", 1);
		m.put(new String("a"), 2);
		List<Object> chunks = List.of(m, Map.of("b", 3));
		assertThat(written(chunks, MAX)).isEqualTo(reference(chunks, MAX));
	}

	@Test
	void rawOutputsWrittenOnTwoThreadsAtOnceAreEachTheirOwn() throws Exception {
		// Two export workers (two clients) share the spare buffer and the extractors' writers.
		List<List<Object>> outputs = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			List<Object> chunks = new ArrayList<>();
			for (int k = 0; k < 200; k++) {
				Object c = switch ((i + k) % 4) {
					case 0 -> Map.of("k", "v" + i + "-" + k);
					case 1 -> new ai.phospho.reactive.WritingTestExtractor.Good("g" + i + "-" + k, k);
					case 2 -> new Node("n" + i + "-" + k, null);
					default -> Map.of("big", "x".repeat(k * 37));
				};
				chunks.add(c);
			}
			outputs.add(chunks);
		}
		List<String> expected = new ArrayList<>();
		for (List<Object> c : outputs) {
			expected.add(written(c, 50_000));
		}
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			for (int round = 0; round < 5; round++) {
				List<Future<String>> got = new ArrayList<>();
				for (List<Object> c : outputs) {
					got.add(pool.submit(() -> written(c, 50_000)));
				}
				for (int i = 0; i < outputs.size(); i++) {
					assertThat(got.get(i).get()).as("output %d", i).isEqualTo(expected.get(i));
				}
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void aBigDecimalIsReadBackAsThePlainCopy() {
		// Was read back as the double 0.1: a TaskMasker rebuilding raw_output then changed the wire.
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("d", new BigDecimal("0.1000000000000000000001"));
		m.put("scale", new BigDecimal("1.50"));
		m.put("double", 0.1);
		m.put("exponent", 1.0E10);
		m.put("tiny", 1.0E-7);
		m.put("list", List.of(2.5, new BigDecimal("2.50")));
		List<Object> chunks = List.of(m);
		assertThat(new DeferredChunks(chunks, MAX).get()).isEqualTo(DeferredChunks.plainChunks(chunks, MAX, null));
	}

	@Test
	void aConvertedChunkThatFitsTheCapIsKept() {
		// Was left out: the conversion's budget counts 24 characters per number (290 for this map).
		Map<Object, Object> integerKeys = new TreeMap<>();
		Map<String, Object> stringKeys = new LinkedHashMap<>();
		for (int i = 0; i < 10; i++) {
			integerKeys.put(i, 1.0);
			stringKeys.put(String.valueOf(i), 1.0);
		}
		// 81 bytes of JSON each, cap 200.
		assertThat(written(List.of(stringKeys), 200)).isEqualTo("[" + Json.text(stringKeys) + "]");
		assertThat(written(List.of(integerKeys), 200)).isEqualTo("[" + Json.text(stringKeys) + "]");
		// And one that does not fit is still left out.
		assertThat(written(List.of(integerKeys), 80)).isEqualTo("[]");
	}

	static boolean isUtf8(byte[] b) {
		try {
			StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
					.onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
			return true;
		}
		catch (CharacterCodingException e) {
			return false;
		}
	}
}

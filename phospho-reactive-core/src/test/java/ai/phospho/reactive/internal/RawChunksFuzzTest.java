package ai.phospho.reactive.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random runs of String chunks (plain ASCII, DEL, quotes, controls, 0x80-0xFF, pairs and lone
 * surrogates, empty), the plain ones written without a generator until the first other one: at
 * every cap the raw output is the plain copy's, byte for byte, and the flag of chunks left out agrees.
 */
class RawChunksFuzzTest {

	private static final String[] PIECES = {"a", " ", "~", "\u007f", "\"", "\\", "\n", "\u0001", "\u0080", "\u00ff",
		"é", "中", "😀", "\ud800", "\udc00", "[DONE]"};

	private static Object chunk(SplittableRandom r, int i) {
		switch (r.nextInt(10)) {
			case 0:
				return RawChunksWriterTest.openAiChunk("t" + i, null);
			case 1:
				// Not a string key: converted the plain way, the generator dropped.
				return new TreeMap<>(Map.of(i, "v" + i));
			default: {
				StringBuilder b = new StringBuilder();
				int n = r.nextInt(12);
				boolean plain = r.nextInt(3) > 0;
				for (int k = 0; k < n; k++) {
					b.append(plain ? String.valueOf((char) (0x20 + r.nextInt(0x60))) : PIECES[r.nextInt(PIECES.length)]);
				}
				return b.toString();
			}
		}
	}

	private static String escaped(String s) {
		StringBuilder b = new StringBuilder();
		for (char c : s.toCharArray()) {
			b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("<%04x>", (int) c));
		}
		return b.toString();
	}

	@Test
	void randomChunksAreWrittenAsThePlainCopyAtEveryCap() {
		SplittableRandom r = new SplittableRandom(7);
		for (int round = 0; round < 40; round++) {
			List<Object> chunks = new ArrayList<>();
			int n = 5 + r.nextInt(60);
			// Chunks of mixed shapes are fitted from the plain copy: only a run of strings (or of maps) is
			// written directly, so strings only; a map's estimate counts a comma after its last entry.
			boolean stringsOnly = true;
			for (int i = 0; i < n; i++) {
				Object c = chunk(r, i);
				chunks.add(stringsOnly && !(c instanceof String) ? "s" + i : c);
			}
			for (int max = 1; max <= 2_500; max += max < 300 ? 1 : 5) {
				DeferredChunks d = new DeferredChunks(chunks, max);
				String expected = new String(RawChunksWriterTest.reference(chunks, max), StandardCharsets.UTF_8);
				assertThat(escaped(d.json().getValue())).as("round %d, max %d, chunks %s", round, max, escaped(chunks.toString()))
						.isEqualTo(escaped(expected));
				if (stringsOnly) {
					assertThat(d.truncated()).as("round %d, max %d", round, max)
							.isEqualTo(Json.mapper().readTree(expected).size() < chunks.size());
				}
			}
		}
	}

	/**
	 * Chunks that are pieces of a text found plain are copied without being read: at every cap, the
	 * same bytes and flag as the generator's writing; told of another text (equal or not), or of a
	 * text that is not what they are pieces of, they are read as before, escapes and all.
	 */
	@Test
	void piecesOfAPlainTextAreCopiedAsTheGeneratorWritesThemAtEveryCap() {
		SplittableRandom r = new SplittableRandom(11);
		for (int round = 0; round < 40; round++) {
			List<Object> chunks = new ArrayList<>();
			StringBuilder whole = new StringBuilder();
			int n = 1 + r.nextInt(60);
			for (int i = 0; i < n; i++) {
				StringBuilder b = new StringBuilder();
				int len = r.nextInt(12);
				for (int k = 0; k < len; k++) {
					char c;
					do {
						c = (char) (0x20 + r.nextInt(0x60));
					}
					while (c == '"' || c == '\\');
					b.append(c);
				}
				chunks.add(b.toString());
				whole.append(b);
			}
			String text = whole.toString();
			for (int max = 1; max <= 800; max += max < 300 ? 1 : 7) {
				String expected = new String(RawChunksWriterTest.reference(chunks, max), StandardCharsets.UTF_8);
				DeferredChunks copied = new DeferredChunks(chunks, max, text);
				assertThat(copied.json(text).getValue()).as("round %d, max %d", round, max).isEqualTo(expected);
				assertThat(copied.truncated()).isEqualTo(Json.mapper().readTree(expected).size() < chunks.size());
				// An equal text that is not the one they are pieces of: read as before, same bytes.
				assertThat(new DeferredChunks(chunks, max, text).json(new String(text)).getValue()).isEqualTo(expected);
			}
		}
		// Pieces of a text that is not plain, told of a plain one: escaped as always.
		List<Object> hostile = List.of("Caf", "é \"quoted\"", "\\ back", "\u2028", "\u0001", "😀");
		String whole = String.join("", hostile.stream().map(String.class::cast).toList());
		String expected = new String(RawChunksWriterTest.reference(hostile, 10_000), StandardCharsets.UTF_8);
		assertThat(new DeferredChunks(hostile, 10_000, whole).json("plain").getValue()).isEqualTo(expected);
		assertThat(new DeferredChunks(hostile, 10_000, whole).json(null).getValue()).isEqualTo(expected);
		assertThat(new DeferredChunks(hostile, 10_000, null).json(whole).getValue()).isEqualTo(expected);
	}
}

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
}

package ai.phospho.reactive;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import ai.phospho.reactive.internal.Json;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random tasks whose texts mix plain ASCII with every kind of character at the edge of plain (DEL,
 * quotes, controls, 0x80-0xFF, pairs and lone surrogates), of lengths around the writer's thresholds,
 * the same String object shared between input, output, raw values, metadata, extra keys and ids:
 * the event is the bytes Jackson writes for its map and the estimate is never below it, for the task,
 * its redacted copies and the task rebuilt from its JSON (the spool's way).
 */
class EventBytesFuzzTest {

	private static final String[] PIECES = {"a", "Z", " ", "~", "/", "<", "\u007f", "\"", "\\", "\n", "\u0001",
		"\u001f", "\u0080", "\u00ff", "é", "中", "😀", "\ud800", "\udc00"};

	private static String text(SplittableRandom r) {
		int[] lengths = {0, 1, 15, 16, 31, 32, 33, 63, 64, 65, 100};
		int n = lengths[r.nextInt(lengths.length)];
		boolean plain = r.nextInt(3) > 0;
		StringBuilder b = new StringBuilder();
		while (b.length() < n) {
			b.append(plain ? (char) (0x20 + r.nextInt(0x60)) : PIECES[r.nextInt(PIECES.length)].charAt(0));
			if (!plain && r.nextInt(8) == 0) {
				b.append(PIECES[r.nextInt(PIECES.length)]);
			}
		}
		String s = b.toString();
		// A plain text may still hold a quote or backslash (0x22, 0x5C are in the range): fine, it is then not plain.
		return s;
	}

	/**
	 * A key without surrogates: Jackson cannot read back a name with a lone one, so the spool's
	 * rebuild replaces lone surrogates with U+FFFD and its event differs by design
	 * ({@code SpoolTest.aTaskWithALoneSurrogateInAKeyIsSentAfterARestartWithTheReplacementCharacter}).
	 */
	private static String key(String s) {
		return s.replaceAll("[\\ud800-\\udfff]", "?");
	}

	private static void check(LoggedTask t, String what) {
		long estimate = t.estimatedSize();
		byte[] written = t.json();
		byte[] jackson = Json.mapper().writeValueAsBytes(t.toMap());
		assertThat(new String(written, StandardCharsets.UTF_8)).as(what).isEqualTo(new String(jackson, StandardCharsets.UTF_8));
		assertThat(written).as(what).isEqualTo(jackson);
		assertThat(estimate).as(what).isGreaterThanOrEqualTo(written.length);
	}

	@Test
	void eventsOfRandomTextsAreWrittenAsJacksonWritesThem() {
		SplittableRandom r = new SplittableRandom(42);
		for (int maxFieldChars : new int[] {100_000, 40}) {
			PhosphoOptions options = LogEventBytesTest.options(maxFieldChars);
			for (int i = 0; i < 3_000; i++) {
				String[] pool = {text(r), text(r), text(r), text(r)};
				String in = pool[r.nextInt(pool.length)];
				@Nullable String out = r.nextInt(6) == 0 ? null : pool[r.nextInt(pool.length)];
				TaskLog<String, String> log = TaskLog.of(in).output(out);
				if (r.nextBoolean()) {
					Map<String, Object> metadata = new LinkedHashMap<>();
					metadata.put(key(pool[r.nextInt(pool.length)]), pool[r.nextInt(pool.length)]);
					metadata.put("same", in);
					log.metadata(metadata);
				}
				if (r.nextBoolean()) {
					log.put("extra", pool[r.nextInt(pool.length)]).put("prompt_tokens_x", in).put(in.isEmpty() ? "k" : key(in), out);
				}
				if (r.nextBoolean()) {
					log.userId(pool[r.nextInt(pool.length)]).sessionId(in.isEmpty() ? null : in);
				}
				if (r.nextInt(4) == 0) {
					log.rawInput(pool[r.nextInt(pool.length)]).rawOutput(r.nextBoolean() ? out : in);
				}
				LoggedTask t = TaskBuilder.of(log, options, null);
				String what = "in " + in + " / out " + out;
				check(t, what);
				// A redactor's copy: other texts, or the same objects, the copy estimated anew.
				String other = pool[r.nextInt(pool.length)];
				check(t.toBuilder().input(other).output(r.nextBoolean() ? other : in).build(), "copy of " + what);
				check(t.toBuilder().userId(in).build(), "same-text copy of " + what);
				// The task the spool rebuilds from its JSON writes the same event.
				LoggedTask back = TaskEvents.fromJson(t.json());
				check(back, "rebuilt " + what);
				assertThat(new String(back.json(), StandardCharsets.UTF_8)).as("rebuilt " + what).isEqualTo(new String(t.json(), StandardCharsets.UTF_8));
			}
		}
	}
}

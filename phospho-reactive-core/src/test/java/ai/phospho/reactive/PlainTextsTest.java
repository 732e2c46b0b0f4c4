package ai.phospho.reactive;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ai.phospho.reactive.internal.EventWriter;
import ai.phospho.reactive.internal.Json;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The size estimate marks the input and output it found plain (printable ASCII, nothing to escape),
 * and the event writer then writes them as their bytes, without the generator's walk: for every text
 * at the edge of plain (each character to escape or beyond ASCII, at its start, middle and end; the
 * lengths around the shortcut's threshold) the event is the bytes Jackson writes for the task's map,
 * through the builder and through a client's {@code log(input, output)}. The ids the library made
 * are written from their bits, without their text, as that text.
 */
class PlainTextsTest {

	/** Every printable ASCII character but the two that JSON escapes, and DEL, which it does not. */
	private static final String PLAIN;

	static {
		StringBuilder b = new StringBuilder();
		for (char c = 0x20; c <= 0x7F; c++) {
			if (c != '"' && c != '\\') {
				b.append(c);
			}
		}
		PLAIN = b.toString();
	}

	private static List<String> texts() {
		List<String> texts = new ArrayList<>();
		texts.add(PLAIN);
		for (int n : new int[] {0, 1, 31, 32, 33, 64}) {
			texts.add("a".repeat(n));
		}
		for (String special : new String[] {"\"", "\\", "\n", "\t", "\u0000", "\u0001", "\u001f", "\u0080", "\u00ff", "é",
			"中", "😀", "\ud800", "\udc00"}) {
			texts.add(special + PLAIN);
			texts.add(PLAIN.substring(0, 40) + special + PLAIN.substring(40));
			texts.add(PLAIN + special);
			texts.add("x".repeat(40) + special);
		}
		return texts;
	}

	/** Whether a text's JSON is its Latin-1 bytes between quotes. */
	private static boolean plain(String s) {
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			if (c < 0x20 || c > 0x7F || c == '"' || c == '\\') {
				return false;
			}
		}
		return true;
	}

	private static void assertWrittenAsJackson(LoggedTask t, String in, @Nullable String out) {
		long e = EventWriter.estimate(t, false, false);
		int expected = (plain(in) ? EventWriter.PLAIN_INPUT : 0)
				| (out != null && plain(out) ? EventWriter.PLAIN_OUTPUT : 0);
		assertThat(e & 3).as("plain texts of %s / %s", in, out).isEqualTo(expected);
		// The estimate is made (and the texts marked) before the event is written, as the worker does.
		assertThat(t.estimatedSize()).isEqualTo(e >>> 2);
		byte[] written = t.json();
		byte[] jackson = Json.mapper().writeValueAsBytes(t.toMap());
		assertThat(new String(written, StandardCharsets.UTF_8)).as("input %s, output %s", in, out)
				.isEqualTo(new String(jackson, StandardCharsets.UTF_8));
		assertThat(written).isEqualTo(jackson);
		assertThat(t.estimatedSize()).isGreaterThanOrEqualTo(written.length);
	}

	@Test
	void plainTextsAreWrittenAsJacksonWritesThem() {
		PhosphoOptions options = LogEventBytesTest.options(100_000);
		List<String> texts = texts();
		for (String in : texts) {
			for (String out : new String[] {in, PLAIN, "é" + PLAIN, null}) {
				assertWrittenAsJackson(TaskBuilder.of(TaskLog.of(in).output(out), options, null), in, out);
			}
			// Equal texts that are distinct objects: each marked by its own field.
			String copy = new String(in.toCharArray());
			assertWrittenAsJackson(TaskBuilder.of(TaskLog.of(in).output(copy), options, null), in, copy);
		}
	}

	@Test
	void plainTextsOfTheClientsFastPathAreWrittenAsJacksonWritesThem() {
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = PhosphoClient.create(TestSupport.options(exporter).shutdownHook(false).build());
		try {
			for (String in : texts()) {
				for (String out : new String[] {in, PLAIN, "\u0001" + PLAIN}) {
					assertWrittenAsJackson(client.log(in, out), in, out);
				}
			}
		}
		finally {
			client.shutdown().block(Duration.ofSeconds(10));
		}
	}

	@Test
	void idsTheLibraryMadeAreWrittenAsTheirText() {
		RecordingExporter exporter = RecordingExporter.immediate();
		PhosphoClient client = PhosphoClient.create(TestSupport.options(exporter).shutdownHook(false).build());
		try {
			for (int i = 0; i < 1_000; i++) {
				LoggedTask t = i % 2 == 0 ? client.log("in", "out")
						: TaskBuilder.of(TaskLog.of("in " + i).output("out"), LogEventBytesTest.options(100), null);
				// Written before anything read the ids' text: from their bits.
				String written = new String(t.json(), StandardCharsets.UTF_8);
				assertThat(written).contains("\"task_id\":\"" + t.taskId() + "\"")
						.contains("\"session_id\":\"" + t.sessionId() + "\"");
				assertThat(t.taskId()).matches("task_[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}");
				assertThat(t.sessionId()).matches("session_[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}");
				assertThat(t.json()).isEqualTo(Json.mapper().writeValueAsBytes(t.toMap()));
			}
			// Ids given by the application are written from their text.
			LoggedTask given = TaskBuilder.of(TaskLog.of("in").output("out").taskId("t \"1\"").sessionId("s\n1"),
					LogEventBytesTest.options(100), null);
			assertThat(given.json()).isEqualTo(Json.mapper().writeValueAsBytes(given.toMap()));
			assertThat(new String(given.json(), StandardCharsets.UTF_8)).contains("\"task_id\":\"t \\\"1\\\"\"");
		}
		finally {
			client.shutdown().block(Duration.ofSeconds(10));
		}
	}

	@Test
	void aCopyOfAPlainTaskWithOtherTextsIsMarkedByItsOwn() {
		PhosphoOptions options = LogEventBytesTest.options(100_000);
		LoggedTask t = TaskBuilder.of(TaskLog.of(PLAIN).output(PLAIN), options, null);
		assertWrittenAsJackson(t, PLAIN, PLAIN);
		LoggedTask redacted = t.toBuilder().input("\"quoted\" " + PLAIN).output("line\n" + PLAIN).build();
		assertWrittenAsJackson(redacted, "\"quoted\" " + PLAIN, "line\n" + PLAIN);
	}
}

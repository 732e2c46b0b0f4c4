package ai.phospho.reactive;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import ai.phospho.reactive.internal.EventWriter;
import ai.phospho.reactive.internal.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Older defects found while reviewing the event writer's shortcuts (not made by them). */
class ReviewFindingsTest {

	/**
	 * A metadata value whose JSON (escapes) is larger than its length: cut to the room left as a count
	 * of characters longer than the text, it threw, and the task was logged without its content.
	 */
	@Test
	void aMetadataValueOfEscapesPastTheCapIsCutNotLost() {
		PhosphoOptions options = LogEventBytesTest.options(40);
		LoggedTask t = TaskBuilder.of(TaskLog.of("in").output("out").metadata(Map.of("k", "\u0001".repeat(16))), options,
				null);
		assertThat(t.input()).isEqualTo("in");
		assertThat(t.output()).isEqualTo("out");
		assertThat(t.truncated()).isTrue();
		assertThat(EventWriter.estimate(t.metadata())).isLessThanOrEqualTo(40);
		assertThat(t.json()).isEqualTo(Json.mapper().writeValueAsBytes(t.toMap()));
	}

	/** The cut keeps the longest prefix within the size, a pair whole or not at all, for every size. */
	@Test
	void aValueIsCutToItsJsonSizeWithoutSplittingAPair() {
		assertThat(TaskMaps.cutToSize("a😀b", 5)).isEqualTo("a😀");
		assertThat(TaskMaps.cutToSize("a😀b", 4)).isEqualTo("a");
		assertThat(TaskMaps.cutToSize("\u0001\u0001", 11)).isEqualTo("\u0001");
		String hostile = "q\" b\\ n\n c\u0001 é 中 😀 lone \ud800 \udc00 end";
		for (int size = 0; size <= EventWriter.utf8Length(hostile) + 1; size++) {
			String cut = TaskMaps.cutToSize(hostile, size);
			assertThat(hostile).startsWith(cut);
			assertThat(EventWriter.utf8Length(cut)).as("size %d", size).isLessThanOrEqualTo(size);
			if (cut.length() < hostile.length()) {
				int next = cut.length() + Character.charCount(hostile.codePointAt(cut.length()));
				assertThat(EventWriter.utf8Length(hostile.substring(0, next))).as("size %d", size).isGreaterThan(size);
				assertThat(!cut.isEmpty() && Character.isHighSurrogate(cut.charAt(cut.length() - 1))
						&& Character.isLowSurrogate(hostile.charAt(cut.length()))).as("a pair split at %d", size).isFalse();
			}
		}
	}

	/**
	 * {@code test_id} is taken by {@code put} (a string field of the backend without a setter) and
	 * also written from the options or the Context: the event had the key twice, where the task's map
	 * (and Jackson's JSON of it) had it once. The one given with {@code put} wins, as a usage key given
	 * with {@code put} wins over the provider's.
	 */
	@Test
	void aTestIdPutAndOneFromTheOptionsAreNotWrittenTwice() {
		PhosphoOptions options = TestSupport.options(RecordingExporter.immediate()).testId("from-options").build();
		LoggedTask t = TaskBuilder.of(TaskLog.of("in").output("out").put("test_id", "from-put"), options, null);
		String json = new String(t.json(), StandardCharsets.UTF_8);
		assertThat(json).isEqualTo(new String(Json.mapper().writeValueAsBytes(t.toMap()), StandardCharsets.UTF_8));
		assertThat(json.split("\"test_id\"", -1)).hasSize(2);
		assertThat(t.toMap()).containsEntry("test_id", "from-put");
		assertThat(t.estimatedSize()).isGreaterThanOrEqualTo(t.json().length);
		// Without put, the options' test id.
		LoggedTask plain = TaskBuilder.of(TaskLog.of("in").output("out").put("step_id", "s"), options, null);
		assertThat(plain.toMap()).containsEntry("test_id", "from-options");
	}
}

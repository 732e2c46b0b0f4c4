package ai.phospho.reactive;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static ai.phospho.reactive.TestSupport.chatCompletion;
import static ai.phospho.reactive.TestSupport.message;
import static ai.phospho.reactive.TestSupport.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The exported JSON passes the backend's strict {@code LogEvent} types, and equals {@code toMap()}. */
class WireEventTest {

	private static final Set<String> NULLABLE_STRINGS = Set.of("project_id", "output", "session_id", "version_id",
			"user_id", "test_id", "step_id", "raw_input_type_name", "raw_output_type_name");

	/**
	 * The checks of the backend's {@code LogEvent} model with strict types, on the exported bytes:
	 * throws {@link AssertionError} naming the field that would be refused.
	 */
	static void assertAcceptedByBackend(LoggedTask t) {
		JsonNode e = TestSupport.treeOfJson(t);
		assertThat(e.isObject()).as("event is an object").isTrue();
		assertThat(e.get("input")).as("input").isNotNull();
		assertThat(e.get("input").isString()).as("input is a string: %s", e.get("input")).isTrue();
		assertThat(e.get("task_id")).as("task_id").isNotNull();
		assertThat(e.get("task_id").isString()).as("task_id is a string").isTrue();
		JsonNode created = e.get("client_created_at");
		assertThat(created).as("client_created_at").isNotNull();
		assertThat(created.isIntegralNumber()).as("client_created_at is an integer: %s", created).isTrue();
		assertThat(created.canConvertToLong()).isTrue();
		JsonNode lastUpdate = e.get("last_update");
		if (lastUpdate != null && !lastUpdate.isNull()) {
			assertThat(lastUpdate.isIntegralNumber()).as("last_update is an integer: %s", lastUpdate).isTrue();
		}
		for (String name : NULLABLE_STRINGS) {
			JsonNode v = e.get(name);
			if (v != null && !v.isNull()) {
				assertThat(v.isString()).as("%s is a string or null: %s", name, v).isTrue();
			}
		}
		JsonNode env = e.get("environment");
		if (env != null) {
			assertThat(env.isString()).as("environment is a string").isTrue();
		}
		JsonNode metadata = e.get("metadata");
		if (metadata != null && !metadata.isNull()) {
			assertThat(metadata.isObject()).as("metadata is an object: %s", metadata).isTrue();
		}
		JsonNode flag = e.get("flag");
		if (flag != null && !flag.isNull()) {
			assertThat(flag.isString() && (flag.stringValue().equals("success") || flag.stringValue().equals("failure")))
					.as("flag is success or failure: %s", flag).isTrue();
		}
		assertRawShape("raw_input", e.get("raw_input"), false);
		assertRawShape("raw_output", e.get("raw_output"), true);
		assertThat(e).as("the exported JSON equals toMap()").isEqualTo(TestSupport.treeOfMap(t));
	}

	private static void assertRawShape(String name, JsonNode v, boolean nullElements) {
		if (v == null || v.isNull() || v.isObject() || v.isString()) {
			return;
		}
		assertThat(v.isArray()).as("%s is an object, a string or a list: %s", name, v).isTrue();
		boolean allObjects = true;
		boolean allStrings = true;
		for (JsonNode element : v) {
			if (element.isNull()) {
				assertThat(nullElements).as("%s holds no null: %s", name, v).isTrue();
				continue;
			}
			allObjects &= element.isObject();
			allStrings &= element.isString();
		}
		assertThat(allObjects || allStrings).as("%s is a list of objects or of strings: %s", name, v).isTrue();
	}

	static Map<String, Object> map(Object... kv) {
		return ExtractionTest.map(kv);
	}

	static Stream<LoggedTask> tasks() {
		Map<String, Object> metadata = new HashMap<>();
		metadata.put("nan", Double.NaN);
		metadata.put("infinite", Float.POSITIVE_INFINITY);
		metadata.put("big", new BigDecimal("12345678901234567890.5"));
		metadata.put("nested", map("list", List.of(1, 2.5, "x", true), "null", null));
		return Stream.of(
				task("q", "a"),
				task("q", null),
				task("", ""),
				task(42, 3.5),
				task(true, false),
				task(Double.NaN, Double.POSITIVE_INFINITY),
				task(List.of(1, 2, 3), List.of(List.of("nested"), map("k", "v"))),
				task(Arrays.asList("a", null, "c"), Arrays.asList(null, "x", null)),
				task(Arrays.asList(map("a", 1), "mixed", 3), Arrays.asList(map("a", 1), null)),
				task(List.of(), List.of()),
				task(map(), map()),
				task(map("messages", List.of(message("user", "q"))), chatCompletion("a")),
				task(List.of(message("system", "s"), message("user", "u")), List.of(message("assistant", "a"))),
				task(new Thread("t"), new Object()),
				task(new ExtractionTest.Message("user", "hi"), Optional.of("present")),
				task(new int[] {1, 2}, new String[] {"a", "b"}),
				task(TaskLog.of("q").output("a").flag(Flag.SUCCESS).userId("u-1").sessionId("s-1").taskId("t-1")
						.versionId("v-1").metadata(metadata).put("extra_double", 1.5).put("extra_null", null)
						.put("extra_list", List.of(1, "two"))),
				task(TaskLog.of("q").flag(Flag.FAILURE).rawInput(12).rawOutput(List.of(1, 2))),
				task(TaskLog.of("q").rawInput(Arrays.asList(null, null)).rawOutput(Arrays.asList(null, null))));
	}

	@ParameterizedTest
	@MethodSource("tasks")
	void everyEventPassesTheBackendsStrictTypes(LoggedTask t) {
		assertAcceptedByBackend(t);
	}

	@Test
	void theCheckerRefusesWhatTheBackendRefuses() {
		assertThatThrownBy(() -> assertRawShape("raw_input", TestSupport.tree("[1,2]"), false))
				.isInstanceOf(AssertionError.class);
		assertThatThrownBy(() -> assertRawShape("raw_input", TestSupport.tree("[{\"a\":1},\"b\"]"), false))
				.isInstanceOf(AssertionError.class);
		assertThatThrownBy(() -> assertRawShape("raw_input", TestSupport.tree("[\"a\",null]"), false))
				.isInstanceOf(AssertionError.class);
		assertThatThrownBy(() -> assertRawShape("raw_output", TestSupport.tree("12"), true))
				.isInstanceOf(AssertionError.class);
	}

	@Test
	void flagsAreTheTwoWordsOfTheBackend() {
		assertThat(task(TaskLog.of("q").flag(Flag.SUCCESS)).toMap()).containsEntry("flag", "success");
		assertThat(task(TaskLog.of("q").flag(Flag.FAILURE)).toMap()).containsEntry("flag", "failure");
		assertThat(task(TaskLog.of("q")).toMap()).doesNotContainKey("flag");
	}

	@Test
	void clientCreatedAtIsTheCurrentUnixSecondAsALong() {
		long before = System.currentTimeMillis() / 1000;
		LoggedTask t = task("q", "a");
		long after = System.currentTimeMillis() / 1000;

		assertThat(t.toMap().get("client_created_at")).isInstanceOf(Long.class);
		assertThat(t.clientCreatedAt()).isBetween(before, after);
	}

	@Test
	void idsAndFixedFieldsHaveTheirDefaults() {
		LoggedTask t = task("q", "a");

		assertThat(t.taskId()).matches("task_[0-9a-f]{32}");
		assertThat(t.sessionId()).matches("session_[0-9a-f]{32}");
		assertThat(t.versionId()).isEqualTo(PhosphoOptions.builder().build().versionId());
		assertThat(t.environment()).isEqualTo("default environment");
		assertThat(task("q", "a").taskId()).isNotEqualTo(t.taskId());
	}

	@Test
	void changingTheCallersObjectsAfterLogDoesNotChangeWhatIsExported() {
		RecordingExporter exporter = RecordingExporter.stalled();
		PhosphoClient client = PhosphoClient.create(TestSupport.options(exporter).build());
		try {
			List<Map<String, Object>> messages = new ArrayList<>(List.of(message("user", "q")));
			Map<String, Object> output = new LinkedHashMap<>(chatCompletion("a"));
			Map<String, Object> metadata = new LinkedHashMap<>(map("k", "v"));
			List<Object> extra = new ArrayList<>(List.of("one"));
			Map<String, Object> raw = new LinkedHashMap<>(map("raw", "before"));

			LoggedTask t = client.log(TaskLog.of(messages).output(output).metadata(metadata)
					.put("extra", extra).rawInput(raw));
			JsonNode before = TestSupport.treeOfMap(t);

			messages.add(message("user", "changed"));
			messages.get(0).put("content", "changed");
			output.put("model", "changed");
			metadata.put("k", "changed");
			metadata.put("added", 1);
			extra.add("two");
			raw.put("raw", "after");
			exporter.release();
			client.flush().block(Duration.ofSeconds(5));

			assertThat(TestSupport.treeOfMap(t)).isEqualTo(before);
			assertThat(exporter.tasks()).hasSize(1);
			assertThat(TestSupport.treeOfJson(exporter.tasks().get(0))).isEqualTo(before);
			assertThat(before.get("input").stringValue()).isEqualTo("q");
			assertThat(before.get("metadata").get("k").stringValue()).isEqualTo("v");
			assertThat(before.get("extra").size()).isEqualTo(1);
			assertThat(before.get("raw_input").get("raw").stringValue()).isEqualTo("before");
		}
		finally {
			client.shutdown().block(Duration.ofSeconds(5));
		}
	}

	@Test
	void toMapCannotBeChanged() {
		LoggedTask t = task(TaskLog.of("q").metadata(map("k", "v")));

		assertThatThrownBy(() -> t.toMap().put("input", "x")).isInstanceOf(UnsupportedOperationException.class);
		assertThatThrownBy(() -> t.metadata().put("k", "x")).isInstanceOf(UnsupportedOperationException.class);
	}
}

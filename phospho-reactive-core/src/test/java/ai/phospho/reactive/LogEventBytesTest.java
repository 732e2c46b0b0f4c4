package ai.phospho.reactive;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import ai.phospho.reactive.internal.EventWriter;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static ai.phospho.reactive.TestSupport.chatCompletion;
import static ai.phospho.reactive.TestSupport.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The event bytes of {@code log} for normal and hostile values are those the code wrote before the
 * log path was made cheaper (issue 18): {@code log-events.txt}, written by this test at commit
 * 7a764e4 with {@code -Dlog-events.write=<file>}. The size estimate is the one the visitor of every
 * field gave then, and never below the bytes written.
 */
class LogEventBytesTest {

	private static final String GOLDEN = "log-events.txt";

	/** A record, converted through Jackson. */
	record Point(int x, @Nullable String label) {
	}

	enum Colour { RED }

	static PhosphoOptions options(int maxFieldChars) {
		return TestSupport.options(RecordingExporter.immediate()).versionId("v-1").projectId("p-1")
				.environment("test-env").maxFieldChars(maxFieldChars).build();
	}

	/** Every case: a name, the options' maxFieldChars, and the log. */
	static List<Object[]> cases() {
		List<Object[]> c = new ArrayList<>();
		String hostile = "quote \" backslash \\ newline \n tab \t bell \u0007 nul \u0000 del \u007f é 中 😀 lone \ud800 end";
		add(c, "plain strings", 100_000, TaskLog.of("Explain quantum computers in less than 20 words.")
				.output("Qubits harness quantum physics for faster, more powerful computation."));
		add(c, "null output", 100_000, TaskLog.of("only input"));
		add(c, "empty input", 100_000, TaskLog.of("").output(""));
		add(c, "hostile strings", 100_000, TaskLog.of(hostile).output(hostile + hostile));
		add(c, "cut strings", 10, TaskLog.of("0123456789abcdef").output("a😀😀😀😀😀😀😀"));
		add(c, "surrogate at the cut", 4, TaskLog.of("abc😀d").output("abcd"));
		add(c, "char sequences", 100_000, TaskLog.of(new StringBuilder("built")).output('x'));
		add(c, "enum and numbers", 100_000, TaskLog.of(Colour.RED).output(42));
		add(c, "long and double", 100_000, TaskLog.of(7L).output(2.5d));
		add(c, "boolean", 100_000, TaskLog.of(Boolean.TRUE).output(Boolean.FALSE));
		add(c, "big numbers", 100_000, TaskLog.of(new BigDecimal("1.50")).output(new BigInteger("123456789012345678901234567890")));
		add(c, "non-finite", 100_000, TaskLog.of(Double.NaN).output(Float.POSITIVE_INFINITY));
		add(c, "atomic", 100_000, TaskLog.of(new AtomicInteger(3)).output(Optional.of("present")));
		add(c, "record", 100_000, TaskLog.of(new Point(1, "é\"")).output(new Point(2, null)));
		add(c, "array and list", 100_000, TaskLog.of(new int[] {1, 2, 3}).output(Arrays.asList("a", null, 3)));
		add(c, "json bytes", 100_000, TaskLog.of("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
				.getBytes(StandardCharsets.UTF_8)).output("not json".getBytes(StandardCharsets.UTF_8)));
		Map<String, Object> request = new LinkedHashMap<>();
		request.put("model", "gpt-4o-mini");
		request.put("messages", List.of(message("system", "Be brief."), message("user", "Hi \"there\"")));
		add(c, "OpenAI request and completion", 100_000, TaskLog.of(request).output(withUsage(chatCompletion("Hello 中")))
				.put("cached", "the caller's value wins"));
		add(c, "message lists", 100_000, TaskLog.of(List.of(message("user", "a"), message("user", "b")))
				.output(List.of(message("assistant", "c"))));
		Map<String, Object> ollama = new LinkedHashMap<>();
		ollama.put("model", "llama3");
		ollama.put("response", "ok");
		ollama.put("prompt_eval_count", 3);
		ollama.put("eval_count", 4);
		add(c, "Ollama generate", 100_000, TaskLog.of(Map.of("prompt", "p")).output(ollama));
		Map<String, Object> metadata = new LinkedHashMap<>();
		metadata.put("clé \"spéciale\"", "valeur\n");
		metadata.put("n", 1);
		metadata.put("nested", Map.of("k", List.of(1, "two", 3.0)));
		add(c, "metadata, extras and ids", 100_000, TaskLog.of("in").output("out").metadata(metadata)
				.put("ключ", "значение").put("step_id", 5).userId("user \"7\"")
				.sessionId("session-é").taskId("task\\1").versionId("v\t2").flag(Flag.FAILURE));
		add(c, "raw values set apart", 100_000, TaskLog.of("in").output("out").rawInput(List.of(1, "x"))
				.rawOutput(Map.of("k", "v")).flag(Flag.SUCCESS));
		add(c, "raw values null", 100_000, TaskLog.of("in").output("out").rawInput(null).rawOutput(null));
		Map<String, Object> big = new LinkedHashMap<>();
		for (int i = 0; i < 50; i++) {
			big.put("key" + i, "value " + i);
		}
		add(c, "metadata cut", 200, TaskLog.of("in").output(big).metadata(big));
		add(c, "custom text extractors", 100_000, TaskLog.of(new Point(5, "p")).output(new Point(6, "q"))
				.inputToString(p -> "point " + p.x()).outputToString(p -> null));
		return c;
	}

	private static Map<String, Object> withUsage(Map<String, Object> completion) {
		Map<String, Object> m = new LinkedHashMap<>(completion);
		Map<String, Object> usage = new LinkedHashMap<>();
		usage.put("prompt_tokens", 5);
		usage.put("completion_tokens", 7);
		usage.put("total_tokens", 12);
		usage.put("cached", 1);
		usage.put("détails", Map.of("n", 2));
		m.put("usage", usage);
		return m;
	}

	private static void add(List<Object[]> c, String name, int maxFieldChars, TaskLog<?, ?> log) {
		c.add(new Object[] {name, maxFieldChars, log});
	}

	private static LoggedTask build(int maxFieldChars, TaskLog<?, ?> log) {
		if (log.taskId == null) {
			log.taskId("task-fixed");
		}
		if (log.sessionId == null) {
			log.sessionId("session-fixed");
		}
		return TaskBuilder.of(log, options(maxFieldChars), null);
	}

	/** The event with {@code client_created_at} set to 0: the only value that depends on the clock. */
	private static String event(LoggedTask t) {
		String json = new String(t.json(), StandardCharsets.UTF_8);
		return json.replaceFirst("\"client_created_at\":\\d+", "\"client_created_at\":0");
	}

	@Test
	void eventBytesAreThoseOfTheCodeBeforeTheFastPaths() throws IOException {
		List<String> actual = new ArrayList<>();
		for (Object[] c : cases()) {
			actual.add(c[0] + "\t" + event(build((Integer) c[1], (TaskLog<?, ?>) c[2])));
		}
		String write = System.getProperty("log-events.write");
		if (write != null) {
			Files.write(Path.of(write), actual, StandardCharsets.UTF_8);
		}
		List<String> expected;
		try (InputStream in = LogEventBytesTest.class.getResourceAsStream(GOLDEN)) {
			assertThat(in).as(GOLDEN).isNotNull();
			expected = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
		}
		assertThat(actual).containsExactlyElementsOf(expected);
	}

	@Test
	void theSizeEstimateIsTheVisitorsAndCoversTheBytes() {
		for (Object[] c : cases()) {
			LoggedTask t = build((Integer) c[1], (TaskLog<?, ?>) c[2]);
			assertThat(EventWriter.estimateSize(t)).as("%s", c[0]).isEqualTo(referenceEstimate(t));
			assertThat(EventWriter.estimateSize(t)).as("%s", c[0]).isGreaterThanOrEqualTo(t.json().length);
		}
		// And for tasks whose ids the library made, sized without walking them.
		LoggedTask t = TaskBuilder.of(TaskLog.of("é \"x\"").output("y"), options(100_000), null);
		assertThat(t.estimatedSize()).isEqualTo(referenceEstimate(t)).isEqualTo(EventWriter.estimateSize(t))
				.isGreaterThanOrEqualTo(t.json().length);
		// An extra key of the same name as an id, with another value: measured, not taken for the id; an
		// extra key to escape, measured (the event's own keys are sized by their length).
		LoggedTask copy = t.toBuilder().extras(Map.of("task_id", "t\"é\"", "session_id", t.sessionId() + "\n",
				"key \"q\"\n\u0001é", 6L)).build();
		assertThat(copy.estimatedSize()).isEqualTo(referenceEstimate(copy)).isGreaterThanOrEqualTo(copy.json().length);
		// Values that change under the same key from task to task: each sized as it is.
		for (String env : new String[] {"a", "é\"", "a", "production"}) {
			PhosphoOptions o = TestSupport.options(RecordingExporter.immediate()).environment(env).versionId(env + "\t")
					.projectId(env).build();
			for (Object in : new Object[] {"x", 1, List.of()}) {
				LoggedTask e = TaskBuilder.of(TaskLog.of(in).output(in), o, null);
				assertThat(e.estimatedSize()).as(env).isEqualTo(referenceEstimate(e)).isGreaterThanOrEqualTo(e.json().length);
			}
		}
	}

	/**
	 * The event writer's shortcuts (keys and the options' ids as pre-encoded bytes, a long input or
	 * output that is also the raw one encoded once for both fields) write what Jackson writes for the
	 * task's map, for every kind of character: escapes, non-ASCII, non-BMP, and lone surrogates (which
	 * Jackson's encoder refuses and its generator escapes), at every length around the threshold, with
	 * the options' values changing from task to task under the same keys.
	 */
	@Test
	void theWritersShortcutsWriteWhatJacksonWritesForTheTasksMap() {
		String[] pieces = {"plain words ", "quote \" ", "backslash \\ ", "newline \n ", "nul \u0000 ", "del \u007f ",
			"é ", "中 ", "😀 ", "\u2028 ", "lone high \ud800 ", "lone low \udc00 "};
		java.util.Random random = new java.util.Random(18);
		List<String> values = new ArrayList<>(List.of("", "x", "\ud83d", "a".repeat(63), "a".repeat(64), "é".repeat(64),
				"\ud800".repeat(64), "😀".repeat(40)));
		for (int n = 0; n < 300; n++) {
			StringBuilder sb = new StringBuilder();
			int target = random.nextInt(200);
			while (sb.length() < target) {
				sb.append(pieces[random.nextInt(pieces.length)]);
			}
			values.add(sb.toString());
		}
		tools.jackson.databind.json.JsonMapper jackson = tools.jackson.databind.json.JsonMapper.builder().build();
		for (int i = 0; i < values.size(); i++) {
			String s = values.get(i);
			String other = values.get((i * 7 + 3) % values.size());
			PhosphoOptions o = TestSupport.options(RecordingExporter.immediate()).versionId(other).environment(s)
					.projectId(i % 2 == 0 ? "p" : other).build();
			for (TaskLog<?, ?> log : new TaskLog<?, ?>[] {TaskLog.of(s).output(s), TaskLog.of(s).output(other),
				TaskLog.of(other).output(s).rawInput(s), TaskLog.of(s).output(s).rawOutput(other).put("k", s)}) {
				LoggedTask t = TaskBuilder.of(log, o, null);
				// As escaped text: a lone surrogate in a failure's message would hide the difference.
				assertThat(escaped(t.json())).as("value #%d", i).isEqualTo(escaped(jackson.writeValueAsBytes(t.toMap())));
			}
		}
	}

	/**
	 * The writer keeps the last options' ids and type names it wrote, encoded, in one array shared by
	 * every thread and client: two clients of different environments, versions and projects, logging
	 * from several threads at once inputs of several types (so the type names change too), must each
	 * have their own values in every event, and every event must be what Jackson writes of its map.
	 */
	@Test
	void clientsWritingAtOnceFromManyThreadsEachWriteTheirOwnOptionsValues() throws Exception {
		PhosphoOptions a = TestSupport.options(RecordingExporter.immediate()).versionId("version-A é")
				.environment("production 中").projectId("project-A").build();
		PhosphoOptions b = TestSupport.options(RecordingExporter.immediate()).versionId(new String("version-B"))
				.environment("staging \"quoted\"").projectId("project-😀").build();
		String longText = "A long answer, written twice when it is both the output and the raw output: 😀 中 é \"q\" \n";
		tools.jackson.databind.json.JsonMapper jackson = tools.jackson.databind.json.JsonMapper.builder().build();
		int threads = 6;
		java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
		List<java.util.concurrent.Future<Integer>> done = new ArrayList<>();
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
		try {
			for (int n = 0; n < threads; n++) {
				int id = n;
				done.add(pool.submit(() -> {
					start.await();
					int checked = 0;
					for (int round = 0; round < 3_000; round++) {
						PhosphoOptions o = (round + id) % 2 == 0 ? a : b;
						TaskLog<?, ?> log = switch ((round + id) % 3) {
							case 0 -> TaskLog.of(longText + round).output(longText);
							case 1 -> TaskLog.of(new StringBuilder(longText).append(round)).output(new StringBuilder(longText));
							default -> TaskLog.of(Map.of("prompt", longText)).output(List.of(longText, round));
						};
						LoggedTask t = TaskBuilder.of(log, o, null);
						byte[] json = t.json();
						Map<String, Object> event = TestSupport.map(new String(json, StandardCharsets.UTF_8));
						assertThat(event.get("environment")).isEqualTo(o.environment());
						assertThat(event.get("version_id")).isEqualTo(o.versionId());
						assertThat(event.get("project_id")).isEqualTo(o.projectId());
						assertThat(event.get("raw_input_type_name")).isEqualTo(t.rawInputTypeName());
						assertThat(event.get("raw_output_type_name")).isEqualTo(t.rawOutputTypeName());
						if (round % 10 == 0) {
							assertThat(escaped(json)).isEqualTo(escaped(jackson.writeValueAsBytes(t.toMap())));
						}
						checked++;
					}
					return checked;
				}));
			}
			for (java.util.concurrent.Future<Integer> f : done) {
				assertThat(f.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(3_000);
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	/**
	 * A {@code StringBuilder} input and output (not strings): the event holds their text, and the
	 * shortcut for a long input written twice (same object as the raw input) must not take a
	 * builder's text for the raw value, nor a string equal to it but not the same object.
	 */
	@Test
	void builderInputsAndEqualButDistinctStringsTakeNoShortcut() {
		tools.jackson.databind.json.JsonMapper jackson = tools.jackson.databind.json.JsonMapper.builder().build();
		String text = "x".repeat(70) + " 😀 \"quoted\" \n 中";
		StringBuilder builder = new StringBuilder(text);
		String equalCopy = new String(text);
		for (TaskLog<?, ?> log : new TaskLog<?, ?>[] {TaskLog.of(builder).output(builder),
			TaskLog.of(text).output(text).rawInput(equalCopy).rawOutput(equalCopy + "!"),
			TaskLog.of(builder).output(text).rawInput(text + "?"),
			TaskLog.of(text).output(builder).rawOutput(Map.of("text", text))}) {
			LoggedTask t = TaskBuilder.of(log, options(100_000), null);
			assertThat(escaped(t.json())).isEqualTo(escaped(jackson.writeValueAsBytes(t.toMap())));
			Map<String, Object> event = TestSupport.map(new String(t.json(), StandardCharsets.UTF_8));
			assertThat(event.get("input")).isEqualTo(text);
			assertThat(event.get("output")).isEqualTo(text);
		}
		// Appending to the builder after the log changes nothing already written.
		LoggedTask t = TaskBuilder.of(TaskLog.of(builder).output("o"), options(100_000), null);
		byte[] before = t.json();
		builder.append(" later");
		assertThat(t.json()).isEqualTo(before);
	}

	private static String escaped(byte[] json) {
		StringBuilder sb = new StringBuilder();
		for (byte b : json) {
			sb.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("<%02x>", b & 0xff));
		}
		return sb.toString();
	}

	@Test
	void idsTheLibraryMakesAreWrittenWhenReadAndStayTheSame() throws Exception {
		LoggedTask t = TaskBuilder.of(TaskLog.of("in").output("out"), options(100_000), null);
		String taskId = t.taskId();
		String sessionId = t.sessionId();
		assertThat(taskId).matches("task_[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}").isSameAs(t.taskId());
		assertThat(sessionId).matches("session_[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}").isSameAs(t.sessionId());
		assertThat(t.toMap()).containsEntry("task_id", taskId).containsEntry("session_id", sessionId);
		assertThat(new String(t.json(), StandardCharsets.UTF_8)).contains("\"task_id\":\"" + taskId + "\"",
				"\"session_id\":\"" + sessionId + "\"");
		LoggedTask copy = t.toBuilder().input("changed").build();
		assertThat(copy.taskId()).isEqualTo(taskId);
		assertThat(copy.sessionId()).isEqualTo(sessionId);
		assertThat(t.toString()).contains(taskId, sessionId);
		// Read first by two threads at once: the same text.
		for (int i = 0; i < 200; i++) {
			LoggedTask r = TaskBuilder.of(TaskLog.of("in"), options(100_000), null);
			java.util.concurrent.CompletableFuture<String> other = java.util.concurrent.CompletableFuture
					.supplyAsync(r::taskId);
			String mine = r.taskId();
			assertThat(other.get()).isEqualTo(mine);
		}
		// Two tasks, two ids.
		LoggedTask u = TaskBuilder.of(TaskLog.of("in"), options(100_000), null);
		assertThat(u.taskId()).isNotEqualTo(taskId);
		assertThat(u.sessionId()).isNotEqualTo(sessionId);
	}

	@Test
	void logOfInputAndOutputIsLogOfTheirTaskLog() {
		Map<String, Object> request = new LinkedHashMap<>();
		request.put("model", "m");
		request.put("messages", List.of(message("system", "s"), message("user", "u")));
		Object[][] pairs = {{"in", "out"}, {"in", null}, {"", ""}, {request, withUsage(chatCompletion("c"))},
			{new Point(1, "é"), List.of(1, "x")}, {42, 2.5d}, {new StringBuilder("sb"), Colour.RED},
			{new HostileValuesTest.Exploding(), new HostileValuesTest.Exploding()}};
		ContextValues context = new ContextValues("s-ctx", null, "u-ctx", null, null, Map.of("k", "v"), "t-ctx");
		for (ContextValues ctx : new ContextValues[] {null, context}) {
			for (int max : new int[] {100_000, 3}) {
				for (Object[] p : pairs) {
					LoggedTask direct = TaskBuilder.of(p[0], p[1], options(max), ctx, Listening.NONE);
					LoggedTask viaLog = TaskBuilder.of(TaskLog.of(p[0]).output(p[1]), options(max), ctx);
					assertThat(withoutIds(event(direct))).as("%s %s", p[0], max).isEqualTo(withoutIds(event(viaLog)));
					assertThat(direct.estimatedSize()).isEqualTo(referenceEstimate(direct));
				}
			}
		}
	}

	/**
	 * Two texts within the cap, without a Context, are made without a builder: the same event as
	 * through the builder, for every content mode, at the cap and past it, hostile or empty.
	 */
	@Test
	void twoTextsMadeWithoutABuilderGiveTheBuildersEvent() {
		String hostile = "quote \" backslash \\ newline \n bell \u0007 nul \u0000 é 中 😀 lone \ud800 end";
		String[] texts = {"", "in", "12345678", "123456789", "1234567😀", hostile, "{\"model\":\"m\"}"};
		for (PhosphoOptions.ContentMode mode : PhosphoOptions.ContentMode.values()) {
			for (int max : new int[] {8, 100_000}) {
				PhosphoOptions o = TestSupport.options(RecordingExporter.immediate()).versionId("v-1").projectId("p-1")
						.environment("test-env").testId("t-1").contentMode(mode).maxFieldChars(max).build();
				for (String in : texts) {
					for (String out : new String[] {null, "out", "123456789", hostile}) {
						LoggedTask direct = TaskBuilder.of(in, out, o, null, Listening.NONE);
						LoggedTask viaLog = TaskBuilder.of(TaskLog.of(in).output(out), o, null);
						assertThat(withoutIds(event(direct))).as("%s %s %s %s", mode, max, in, out)
								.isEqualTo(withoutIds(event(viaLog)));
						assertThat(direct.toMap().keySet()).isEqualTo(viaLog.toMap().keySet());
						assertThat(direct.estimatedSize()).isEqualTo(referenceEstimate(direct))
								.isEqualTo(viaLog.estimatedSize());
						assertThat(direct.clientCreatedAt()).isCloseTo(viaLog.clientCreatedAt(), within(1L));
					}
				}
			}
		}
	}

	private static String withoutIds(String event) {
		return event.replaceAll("\"(task|session)_id\":\"(task|session)_[0-9a-f]{32}\"", "\"$1_id\":\"made\"");
	}

	@Test
	void stringsAtTheCapAreCutAndFlaggedAsBefore() {
		int max = 8;
		for (String s : new String[] {"12345678", "123456789", "1234567890", "1234567😀", "123456😀", "12345678😀"}) {
			LoggedTask t = TaskBuilder.of(s, s, options(max), null, Listening.NONE);
			String kept = TaskBuilder.cut(s, Math.min(s.length(), max));
			assertThat(t.input()).as(s).isEqualTo(kept);
			assertThat(t.output()).as(s).isEqualTo(kept);
			assertThat(t.rawInput()).as(s).isEqualTo(kept);
			assertThat(t.truncated()).as(s).isEqualTo(s.length() > max);
		}
	}

	/**
	 * A string's size is the bytes Jackson writes for it, surrogates included: a pair is 4 bytes, a
	 * surrogate alone (high at the end or before anything but a low one, low at the start or after
	 * anything but a high one) is written as a six-byte escape. It was counted as 2 before issue 18's
	 * part 4: a batch of such strings could pass {@code maxBatchBytes}.
	 */
	@Test
	void aStringsSizeIsTheBytesJacksonWritesForItSurrogatesIncluded() {
		tools.jackson.databind.json.JsonMapper jackson = tools.jackson.databind.json.JsonMapper.builder().build();
		char[] alphabet = {'a', 'é', '中', '\uD83D', '\uDE00', '\uDBFF', '\uDC00', '"', '\n', '\u0001'};
		java.util.Random random = new java.util.Random(18);
		for (int n = 0; n < 5_000; n++) {
			char[] cs = new char[random.nextInt(8)];
			for (int i = 0; i < cs.length; i++) {
				cs[i] = alphabet[random.nextInt(alphabet.length)];
			}
			String s = new String(cs);
			// Escaped in the message: a lone surrogate would hide it.
			assertThat(EventWriter.utf8Length(s) + 2).as("%s", s.chars().mapToObj(Integer::toHexString).toList())
					.isEqualTo(jackson.writeValueAsBytes(s).length);
		}
	}

	@Test
	void keysAreSizedAsMeasured() {
		for (String k : new String[] {"task_id", "session_id", "client_created_at", "raw_output_type_name", "cached",
			"ключ", "a\"b", "tab\t", new String("task_id".toCharArray())}) {
			assertThat(EventWriter.nameLength(k)).as(k).isEqualTo(EventWriter.utf8Length(k));
		}
	}

	@Test
	void typeNamesAreTheSimpleNamesOfTheClasses() {
		Object anonymous = new Object() {
		};
		for (Object v : new Object[] {"s", 1, new int[0], new Point(1, null), Colour.RED, List.of(), anonymous}) {
			String simple = v.getClass().getSimpleName();
			assertThat(TaskBuilder.typeName(v)).isEqualTo(simple.isEmpty() ? v.getClass().getName() : simple);
		}
		assertThat(TaskBuilder.typeName(anonymous)).isEqualTo(anonymous.getClass().getName());
		assertThat(TaskBuilder.typeName(null)).isNull();
	}

	/** The estimate as it was computed before: every visited field, its key measured, its value estimated. */
	static long referenceEstimate(LoggedTask t) {
		long[] size = {2};
		EventWriter.visit(t, (name, value) -> size[0] += EventWriter.utf8Length(name) + 4 + EventWriter.estimate(value));
		return size[0];
	}
}

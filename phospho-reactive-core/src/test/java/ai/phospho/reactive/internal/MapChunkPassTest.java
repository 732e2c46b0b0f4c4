package ai.phospho.reactive.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MapChunkPass} gives what the rules one by one give ({@link StreamFacts#add},
 * {@link Extraction#chunkText}, {@link EventWriter#roughSize}, {@link Extraction#isFinalChunk}), or
 * declines: for the recorded provider streams, and for many random chunks of OpenAI's shape with
 * odd values, other keys, other map and list classes, huge strings and maps that throw.
 */
public class MapChunkPassTest {

	/** The recorded provider streams, in the test kit's resources (the module's working directory is its own). */
	public static final Path RECORDINGS = Path.of("..", "phospho-reactive-test", "src", "main", "resources", "ai", "phospho",
			"reactive", "test", "openai");

	/** What the rules one by one make of a stream, and what the pass makes of it, side by side. */
	static final class Both {
		final int maxChars;
		final StreamFacts reference;
		final StreamFacts passed;
		final MapChunkPass pass = new MapChunkPass();
		final StringBuilder referenceText = new StringBuilder();
		final StringBuilder passedText = new StringBuilder();
		int read;
		int declined;

		Both(int maxChars) {
			this.maxChars = maxChars;
			this.reference = new StreamFacts(maxChars);
			this.passed = new StreamFacts(maxChars);
		}

		void chunk(Map<?, ?> chunk) {
			long cap = maxChars + 1L;
			Throwable factsFailure = null;
			try {
				reference.add(chunk);
			}
			catch (Throwable e) {
				factsFailure = e;
			}
			String text;
			try {
				text = Extraction.chunkText(chunk);
			}
			catch (Throwable e) {
				text = null;
			}
			Long size;
			try {
				size = EventWriter.roughSize(chunk, cap);
			}
			catch (Throwable e) {
				size = null;
			}
			Boolean fin;
			try {
				fin = Extraction.isFinalChunk(chunk);
			}
			catch (Throwable e) {
				fin = null;
			}
			if (!pass.read(chunk, cap)) {
				declined++;
				// What the caller does then: the rules one by one, on its own facts too.
				try {
					passed.add(chunk);
				}
				catch (Throwable e) {
					// as the reference
				}
				if (text != null) {
					referenceText.append(text);
					passedText.append(text);
				}
				return;
			}
			read++;
			assertThat(size).as("size of %s", chunk).isNotNull().isLessThanOrEqualTo(cap).isEqualTo(pass.size());
			assertThat(fin).as("final %s", chunk).isNotNull().isEqualTo(pass.isFinal());
			Throwable passFailure = null;
			try {
				pass.addTo(passed);
			}
			catch (Throwable e) {
				passFailure = e;
			}
			assertThat(passFailure == null).as("facts of %s failed: %s vs %s", chunk, factsFailure, passFailure)
					.isEqualTo(factsFailure == null);
			String passText;
			try {
				passText = pass.text();
			}
			catch (Throwable e) {
				passText = null;
			}
			assertThat(passText).as("text of %s", chunk).isEqualTo(text);
			if (text != null) {
				referenceText.append(text);
				passedText.append(passText);
			}
			same();
		}

		void same() {
			assertThat(passed.model()).isEqualTo(reference.model());
			assertThat(passed.usage()).isEqualTo(reference.usage());
			assertThat(passed.responseId()).isEqualTo(reference.responseId());
			assertThat(passed.finishReason()).isEqualTo(reference.finishReason());
			assertThat(passed.output(passedText.toString())).isEqualTo(reference.output(referenceText.toString()));
		}
	}

	public static List<Map<String, Object>> recorded(Path file) throws IOException {
		List<Map<String, Object>> chunks = new ArrayList<>();
		for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
			String json = line.startsWith("data:") ? line.substring(5).trim() : file.toString().endsWith(".ndjson")
					? line.trim() : "";
			if (json.startsWith("{") && json.endsWith("}")) {
				// An event of one line (the multi-line events of the SSE parser's tests are left out).
				@SuppressWarnings("unchecked")
				Map<String, Object> chunk = Json.mapper().readValue(json, Map.class);
				chunks.add(chunk);
			}
		}
		return chunks;
	}

	@Test
	void theRecordedStreamsGiveTheSameFactsTextSizesAndStops() throws IOException {
		List<Path> files;
		try (Stream<Path> s = Files.list(RECORDINGS)) {
			files = s.filter(p -> p.toString().endsWith(".sse") || p.toString().endsWith(".ndjson")).sorted().toList();
		}
		assertThat(files).hasSizeGreaterThan(10);
		int read = 0;
		for (Path file : files) {
			for (int maxChars : new int[] {100_000, 300, 40}) {
				Both both = new Both(maxChars);
				for (Map<String, Object> chunk : recorded(file)) {
					both.chunk(chunk);
				}
				both.same();
				read += both.read;
			}
		}
		// The OpenAI streams are read in one pass; Ollama's lines and the usage chunks are declined.
		assertThat(read).isGreaterThan(100);
	}

	@Test
	void randomChunksGiveTheSameFactsTextSizesAndStops() {
		Random random = new Random(18);
		int read = 0;
		int declined = 0;
		for (int stream = 0; stream < 3_000; stream++) {
			Both both = new Both(random.nextBoolean() ? 100_000 : 20 + random.nextInt(400));
			int chunks = 1 + random.nextInt(8);
			for (int i = 0; i < chunks; i++) {
				both.chunk(new Chunk(random).top());
			}
			both.same();
			read += both.read;
			declined += both.declined;
		}
		assertThat(read).isGreaterThan(2_000);
		assertThat(declined).isGreaterThan(2_000);
	}

	@Test
	void mapsThatThrowOrLieAreDeclined() {
		Map<String, Object> delta = new HashMap<>();
		delta.put("content", "hi");
		Map<String, Object> choice = new HashMap<>(Map.of("index", 0, "delta", delta));
		Map<String, Object> top = new HashMap<>(Map.of("id", "c1", "choices", List.of(choice)));
		MapChunkPass pass = new MapChunkPass();
		assertThat(pass.read(top, 1_000)).isTrue();
		assertThat(pass.size()).isEqualTo(EventWriter.roughSize(top, 1_000));
		assertThat(pass.read(new Lying(top), 1_000)).isFalse();
		assertThat(pass.read(new Exploding(), 1_000)).isFalse();
		// A choice or delta of another class, one that throws, a cycle: declined.
		choice.put("delta", new Exploding());
		assertThat(pass.read(top, 1_000)).isFalse();
		choice.put("delta", new Lying(delta));
		assertThat(pass.read(top, 1_000)).isFalse();
		choice.put("delta", delta);
		delta.put("audio", new Exploding());
		assertThat(pass.read(top, 1_000)).isFalse();
		delta.put("audio", top);
		assertThat(pass.read(top, 1_000_000)).isFalse();
		delta.remove("audio");
		// A huge string anywhere: past the cap, declined (the caller's walk stops at the cap).
		top.put("system_fingerprint", "x".repeat(5_000));
		assertThat(pass.read(top, 1_000)).isFalse();
		assertThat(pass.read(top, 10_000)).isTrue();
		assertThat(pass.size()).isEqualTo(EventWriter.roughSize(top, 10_000));
	}

	/** A map whose every read throws. */
	static final class Exploding extends AbstractMap<String, Object> {
		@Override
		public Set<Entry<String, Object>> entrySet() {
			throw new IllegalStateException("entrySet");
		}

		@Override
		public Object get(Object key) {
			throw new IllegalStateException("get");
		}

		@Override
		public boolean containsKey(Object key) {
			throw new IllegalStateException("containsKey");
		}
	}

	/** A map that says it is empty and holds whatever it was given. */
	static final class Lying extends AbstractMap<String, Object> {
		final Map<String, Object> inner;

		Lying(Map<String, Object> inner) {
			this.inner = inner;
		}

		@Override
		public Set<Entry<String, Object>> entrySet() {
			return inner.entrySet();
		}

		@Override
		public int size() {
			return 0;
		}

		@Override
		public @Nullable Object get(Object key) {
			return inner.get(key);
		}
	}

	/** A random chunk, mostly of OpenAI's shape, with odd values. */
	public static final class Chunk {
		static final String[] TOP_KEYS = {"id", "model", "object", "created", "system_fingerprint", "usage",
			"service_tier", "obfuscation", "done", "eval_count", "prompt_eval_count", "done_reason", "message",
			"response", "x_groq", "provider"};
		static final String[] CHOICE_KEYS = {"index", "finish_reason", "logprobs", "content_filter_results",
			"message", "text", "native_finish_reason"};
		static final String[] DELTA_KEYS = {"content", "role", "refusal", "tool_calls", "audio", "reasoning_content",
			"function_call"};

		final Random random;

		public Chunk(Random random) {
			this.random = random;
		}

		public Map<String, Object> top() {
			Map<String, Object> m = map();
			if (random.nextInt(10) > 0) {
				m.put("choices", choices());
			}
			int keys = random.nextInt(6);
			for (int i = 0; i < keys; i++) {
				String key = TOP_KEYS[random.nextInt(random.nextBoolean() ? 4 : TOP_KEYS.length)];
				m.put(key, switch (key) {
					case "usage" -> random.nextBoolean() ? null : usage();
					case "done" -> random.nextInt(3) == 0 ? "true" : random.nextBoolean();
					case "eval_count", "prompt_eval_count", "created" -> random.nextInt(100);
					default -> value(2);
				});
			}
			return frozen(m);
		}

		Object choices() {
			int n = random.nextInt(4);
			List<Object> list = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				list.add(random.nextInt(12) == 0 ? value(1) : choice(i));
			}
			return list(list);
		}

		Object choice(int position) {
			Map<String, Object> c = map();
			if (random.nextInt(8) > 0) {
				c.put("delta", random.nextInt(10) == 0 ? value(1) : delta());
			}
			int keys = random.nextInt(4);
			for (int i = 0; i < keys; i++) {
				String key = CHOICE_KEYS[random.nextInt(CHOICE_KEYS.length)];
				c.put(key, switch (key) {
					case "index" -> oneOf(position, 0, 1, null, "0", 0.0, 2L);
					case "finish_reason" -> oneOf("stop", "", null, "tool_calls", 5);
					case "message" -> delta();
					default -> value(2);
				});
			}
			if (random.nextBoolean()) {
				c.put("index", oneOf(position, 0, 1, null, 0.0));
			}
			return frozen(c);
		}

		Object delta() {
			Map<String, Object> d = map();
			int keys = random.nextInt(4);
			for (int i = 0; i < keys; i++) {
				String key = DELTA_KEYS[random.nextInt(random.nextInt(3) == 0 ? DELTA_KEYS.length : 3)];
				d.put(key, switch (key) {
					case "content" -> oneOf(text(), text(), null, "", List.of("a", Map.of("text", "b")), 7);
					case "refusal" -> oneOf(text(), "", null);
					case "tool_calls" -> oneOf(toolCalls(), List.of(), null, "calls");
					default -> value(2);
				});
			}
			return frozen(d);
		}

		Object toolCalls() {
			List<Object> calls = new ArrayList<>();
			int n = 1 + random.nextInt(2);
			for (int i = 0; i < n; i++) {
				Map<String, Object> f = new LinkedHashMap<>();
				if (random.nextBoolean()) {
					f.put("name", "get_weather");
				}
				f.put("arguments", oneOf("{\"city\":", "\"Paris\"}", Map.of("city", "Tokyo"), null));
				calls.add(Map.of("index", random.nextInt(2), "function", f));
			}
			return list(calls);
		}

		Object usage() {
			return oneOf(Map.of("prompt_tokens", 3, "completion_tokens", 5, "total_tokens", 8), Map.of(), "none");
		}

		@Nullable Object value(int depth) {
			int kind = random.nextInt(depth > 0 ? 9 : 6);
			return switch (kind) {
				case 0 -> null;
				case 1 -> random.nextInt(1000);
				case 2 -> random.nextBoolean();
				case 3 -> text();
				case 4 -> random.nextInt(20) == 0 ? "z".repeat(random.nextInt(3_000)) : "v";
				case 5 -> 1.5;
				case 6 -> {
					Map<String, Object> m = map();
					int keys = random.nextInt(3);
					for (int i = 0; i < keys; i++) {
						m.put("k" + i, value(depth - 1));
					}
					yield frozen(m);
				}
				case 7 -> random.nextInt(30) == 0 ? new Exploding() : list(new ArrayList<>(Arrays.asList(value(depth - 1),
						value(depth - 1))));
				default -> list(new ArrayList<>(Collections.singletonList(value(depth - 1))));
			};
		}

		String text() {
			return oneOf("Hello", " world", "é", "\"quoted\"", "tok ");
		}

		Map<String, Object> map() {
			return switch (random.nextInt(8)) {
				case 0 -> new TreeMap<>();
				case 1, 2, 3 -> new LinkedHashMap<>();
				default -> new HashMap<>();
			};
		}

		/** Sometimes as {@code Map.of} (when it has no null value), or behind a view of another class. */
		Map<String, Object> frozen(Map<String, Object> m) {
			int r = random.nextInt(10);
			if (r == 0 && !m.containsValue(null)) {
				return Map.copyOf(m);
			}
			if (r == 1) {
				return Collections.unmodifiableMap(m);
			}
			return m;
		}

		Object list(List<Object> l) {
			int r = random.nextInt(10);
			if (r == 0 && l.stream().allMatch(Objects::nonNull)) {
				return List.copyOf(l);
			}
			if (r == 1) {
				return new LinkedList<>(l);
			}
			if (r == 2) {
				return Arrays.asList(l.toArray());
			}
			return l;
		}

		@SafeVarargs
		final <T> T oneOf(T... values) {
			return values[random.nextInt(values.length)];
		}
	}
}

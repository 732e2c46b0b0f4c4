package ai.phospho.reactive.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.TaskLog;
import ai.phospho.reactive.openai.ChatCompletionRequest;
import ai.phospho.reactive.openai.ChatMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Benchmark 3: an OpenAI request and {@code ChatCompletion} into a {@link LoggedTask} (extraction
 * of input, output, system prompt, model and usage, and the snapshot copies), in three forms: maps
 * (parsed JSON), the openai module's typed records ({@link ai.phospho.reactive.openai.ChatCompletion},
 * read by its {@code OpenAiExtractor}), and local look-alike records that no extractor knows (the
 * core's generic record path). Baseline: logging two short strings, the floor of {@code log}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ExtractionBenchmark {

	public record Message(String role, String content) {
	}

	public record Choice(int index, Message message, String finish_reason) {
	}

	public record Usage(int prompt_tokens, int completion_tokens, int total_tokens) {
	}

	public record ChatCompletion(String id, String object, long created, String model, List<Choice> choices,
			Usage usage) {
	}

	public record ChatRequest(String model, List<Message> messages) {
	}

	static final Map<String, Object> REQUEST_MAP = Map.of(
			"model", "gpt-4o-mini",
			"messages", List.of(
					Map.of("role", "system", "content", "You are a helpful assistant."),
					Map.of("role", "user", "content", "Explain quantum computers in less than 20 words.")));

	static final Map<String, Object> COMPLETION_MAP = Map.of(
			"id", "chatcmpl-abc123",
			"object", "chat.completion",
			"created", 1_700_000_000L,
			"model", "gpt-4o-mini-2024-07-18",
			"choices", List.of(Map.of("index", 0,
					"message", Map.of("role", "assistant",
							"content", "Qubits harness quantum physics for faster, more powerful computation."),
					"finish_reason", "stop")),
			"usage", Map.of("prompt_tokens", 27, "completion_tokens", 12, "total_tokens", 39));

	static final ChatRequest REQUEST_RECORD = new ChatRequest("gpt-4o-mini", List.of(
			new Message("system", "You are a helpful assistant."),
			new Message("user", "Explain quantum computers in less than 20 words.")));

	static final ChatCompletion COMPLETION_RECORD = new ChatCompletion("chatcmpl-abc123", "chat.completion",
			1_700_000_000L, "gpt-4o-mini-2024-07-18",
			List.of(new Choice(0, new Message("assistant",
					"Qubits harness quantum physics for faster, more powerful computation."), "stop")),
			new Usage(27, 12, 39));

	static final ChatCompletionRequest REQUEST_TYPED = ChatCompletionRequest.builder("gpt-4o-mini")
			.system("You are a helpful assistant.")
			.user("Explain quantum computers in less than 20 words.")
			.build();

	static final ai.phospho.reactive.openai.ChatCompletion COMPLETION_TYPED = new ai.phospho.reactive.openai.ChatCompletion(
			"chatcmpl-abc123", "chat.completion", 1_700_000_000L, "gpt-4o-mini-2024-07-18",
			List.of(new ai.phospho.reactive.openai.ChatCompletion.Choice(0,
					ChatMessage.assistant("Qubits harness quantum physics for faster, more powerful computation."),
					"stop", null, Map.of())),
			ai.phospho.reactive.openai.Usage.of(27, 12, 39), null, null, Map.of());

	PhosphoClient client;

	@Setup(Level.Trial)
	public void setUp() {
		client = PhosphoClient.create(PhosphoOptions.builder()
				.exporter(new DiscardingExporter())
				.shutdownHook(false)
				.build());
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		client.shutdown().block(Duration.ofSeconds(10));
	}

	@Benchmark
	public LoggedTask baselineTwoStrings() {
		return client.log(LogBenchmark.INPUT, LogBenchmark.OUTPUT);
	}

	@Benchmark
	public LoggedTask chatCompletionMap() {
		return client.log(TaskLog.of(REQUEST_MAP).output(COMPLETION_MAP));
	}

	/** The openai module's records: what {@code OpenAiClient} hands to the logger. */
	@Benchmark
	public LoggedTask chatCompletionTyped() {
		return client.log(TaskLog.of(REQUEST_TYPED).output(COMPLETION_TYPED));
	}

	/** Local records of the same shape, which no extractor knows: the generic record path. */
	@Benchmark
	public LoggedTask chatCompletionRecord() {
		return client.log(TaskLog.of(REQUEST_RECORD).output(COMPLETION_RECORD));
	}
}

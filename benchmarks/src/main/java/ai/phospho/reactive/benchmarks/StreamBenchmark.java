package ai.phospho.reactive.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.openai.ChatCompletionChunk;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import reactor.core.publisher.Flux;

/**
 * Benchmark 1: a 1,000-chunk stream consumed to the end, figures per chunk. Baselines in the same
 * run, for String chunks, OpenAI chunk maps and the openai module's typed {@code ChatCompletionChunk}s:
 * the bare {@code Flux}, and a hand-written {@code doOnNext(StringBuilder::append)} +
 * {@code doFinally} accumulation (what a user would write without the library). Targets: within
 * 15 ns per chunk of the bare Flux, and no slower than the hand-written accumulation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class StreamBenchmark {

	static final int CHUNKS = 1000;

	String[] textChunks;
	List<Map<String, Object>> mapChunks;
	List<ChatCompletionChunk> typedChunks;
	PhosphoClient client;

	@Setup(Level.Trial)
	public void setUp() {
		makeChunks();
		client = PhosphoClient.create(PhosphoOptions.builder()
				.exporter(new DiscardingExporter())
				.shutdownHook(false)
				.build());
	}

	/** The same {@value #CHUNKS} chunks of each kind; also {@link StreamCpuBenchmark}'s. */
	final void makeChunks() {
		textChunks = new String[CHUNKS];
		mapChunks = new ArrayList<>(CHUNKS);
		typedChunks = new ArrayList<>(CHUNKS);
		for (int i = 0; i < CHUNKS; i++) {
			textChunks[i] = "tok" + (i % 10) + " ";
			mapChunks.add(openAiChunk(textChunks[i]));
			typedChunks.add(ChatCompletionChunk.ofText("gpt-4o-mini", textChunks[i], i == CHUNKS - 1 ? "stop" : null));
		}
	}

	static Map<String, Object> openAiChunk(String text) {
		Map<String, Object> delta = new HashMap<>();
		delta.put("content", text);
		Map<String, Object> choice = new HashMap<>();
		choice.put("index", 0);
		choice.put("delta", delta);
		choice.put("finish_reason", null);
		Map<String, Object> chunk = new HashMap<>();
		chunk.put("id", "chatcmpl-1");
		chunk.put("object", "chat.completion.chunk");
		chunk.put("model", "gpt-4o-mini");
		chunk.put("choices", List.of(choice));
		return chunk;
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		client.shutdown().block(Duration.ofSeconds(10));
	}

	@Benchmark
	@OperationsPerInvocation(CHUNKS)
	public void baselineBareFlux(Blackhole bh) {
		Flux.fromArray(textChunks).subscribe(bh::consume);
	}

	@Benchmark
	@OperationsPerInvocation(CHUNKS)
	public void baselineHandWritten(Blackhole bh) {
		StringBuilder sb = new StringBuilder();
		Flux.fromArray(textChunks)
				.doOnNext(sb::append)
				.doFinally(s -> bh.consume(sb.toString()))
				.subscribe(bh::consume);
	}

	@Benchmark
	@OperationsPerInvocation(CHUNKS)
	public void logStream(Blackhole bh) {
		Flux.fromArray(textChunks)
				.transform(client.logStream("Explain quantum computers in less than 20 words."))
				.subscribe(bh::consume);
	}

	@Benchmark
	@OperationsPerInvocation(CHUNKS)
	public void baselineBareFluxOpenAiMaps(Blackhole bh) {
		Flux.fromIterable(mapChunks).subscribe(bh::consume);
	}

	@Benchmark
	@OperationsPerInvocation(CHUNKS)
	// NullAway: the baseline reads the chunks made in setUp, which all have these keys, with no checks.
	@SuppressWarnings({"unchecked", "NullAway"})
	public void baselineHandWrittenOpenAiMaps(Blackhole bh) {
		StringBuilder sb = new StringBuilder();
		Flux.fromIterable(mapChunks)
				.doOnNext(c -> {
					Map<String, Object> choice = ((List<Map<String, Object>>) c.get("choices")).get(0);
					Object content = ((Map<String, Object>) choice.get("delta")).get("content");
					if (content != null) {
						sb.append(content);
					}
				})
				.doFinally(s -> bh.consume(sb.toString()))
				.subscribe(bh::consume);
	}

	@Benchmark
	@OperationsPerInvocation(CHUNKS)
	public void logStreamOpenAiMaps(Blackhole bh) {
		Flux.fromIterable(mapChunks)
				.transform(client.logStream("Explain quantum computers in less than 20 words."))
				.subscribe(bh::consume);
	}

	@Benchmark
	@OperationsPerInvocation(CHUNKS)
	public void baselineBareFluxTypedChunks(Blackhole bh) {
		Flux.fromIterable(typedChunks).subscribe(bh::consume);
	}

	@Benchmark
	@OperationsPerInvocation(CHUNKS)
	public void baselineHandWrittenTypedChunks(Blackhole bh) {
		StringBuilder sb = new StringBuilder();
		Flux.fromIterable(typedChunks)
				.doOnNext(c -> sb.append(c.text()))
				.doFinally(s -> bh.consume(sb.toString()))
				.subscribe(bh::consume);
	}

	/** The openai module's typed chunks, read by its {@code OpenAiExtractor}. */
	@Benchmark
	@OperationsPerInvocation(CHUNKS)
	public void logStreamTypedChunks(Blackhole bh) {
		Flux.fromIterable(typedChunks)
				.transform(client.logStream("Explain quantum computers in less than 20 words."))
				.subscribe(bh::consume);
	}
}

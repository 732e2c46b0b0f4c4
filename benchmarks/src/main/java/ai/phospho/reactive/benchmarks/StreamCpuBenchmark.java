package ai.phospho.reactive.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoOptions;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * What a stream costs its user, per chunk: {@value #STREAMS} streams of {@value StreamBenchmark#CHUNKS}
 * chunks per invocation, then a flush, so that every task is written as its event JSON before the
 * invocation ends. Three figures per benchmark (see {@link CpuCounters}): the primary (wall time per
 * chunk, flush included), {@code callerNsPerOp} (on the stream's thread, flush excluded) and
 * {@code cpuNsPerOp} (process CPU, all threads).
 *
 * <p>Baselines of the same run, for String chunks, OpenAI chunk maps and typed
 * {@code ChatCompletionChunk}s: the bare {@code Flux}; the text-only hand-written accumulation
 * ({@code doOnNext(sb::append)}), for the stream's thread; and the hand-written equivalent of the
 * event, for the total CPU: the text, plus every chunk kept and written with the input as JSON by
 * Jackson when the stream ends.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class StreamCpuBenchmark {

	static final int STREAMS = 20;
	static final int OPS = STREAMS * StreamBenchmark.CHUNKS;
	static final String INPUT = "Explain quantum computers in less than 20 words.";

	final StreamBenchmark chunks = new StreamBenchmark();
	final JsonMapper mapper = JsonMapper.builder().build();
	JsonWritingExporter exporter;
	PhosphoClient client;
	long streams;

	@Setup(Level.Trial)
	public void setUp() {
		chunks.makeChunks();
		exporter = new JsonWritingExporter();
		client = PhosphoClient.create(PhosphoOptions.builder()
				.exporter(exporter)
				.shutdownHook(false)
				.build());
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		client.shutdown().block(Duration.ofSeconds(10));
		if (exporter.tasks.sum() != streams) {
			throw new IllegalStateException("tasks lost: " + streams + " streams logged, "
					+ exporter.tasks.sum() + " exported");
		}
	}

	private <T> void logStreams(Flux<T> source, Blackhole bh, CpuCounters c) {
		long t0 = c.start();
		for (int i = 0; i < STREAMS; i++) {
			source.transform(client.<T>logStream(INPUT)).subscribe(bh::consume);
		}
		c.work(t0, OPS);
		client.flush().block(Duration.ofMinutes(1));
		streams += STREAMS;
		c.end();
	}

	private static <T> void bare(Flux<T> source, Blackhole bh, CpuCounters c) {
		long t0 = c.start();
		for (int i = 0; i < STREAMS; i++) {
			source.subscribe(bh::consume);
		}
		c.work(t0, OPS);
		c.end();
	}

	private static <T> void textOnly(Flux<T> source, java.util.function.Function<T, Object> text, Blackhole bh,
			CpuCounters c) {
		long t0 = c.start();
		for (int i = 0; i < STREAMS; i++) {
			StringBuilder sb = new StringBuilder();
			source.doOnNext(x -> sb.append(text.apply(x)))
					.doFinally(s -> bh.consume(sb.toString()))
					.subscribe(bh::consume);
		}
		c.work(t0, OPS);
		c.end();
	}

	/** The same event without the library: text, every chunk, written as JSON at the end of the stream. */
	private <T> void handWrittenJson(Flux<T> source, java.util.function.Function<T, Object> text, Blackhole bh,
			CpuCounters c) {
		long t0 = c.start();
		for (int i = 0; i < STREAMS; i++) {
			StringBuilder sb = new StringBuilder();
			List<T> kept = new ArrayList<>();
			source.doOnNext(x -> {
						sb.append(text.apply(x));
						kept.add(x);
					})
					.doFinally(s -> {
						Map<String, Object> event = new LinkedHashMap<>();
						event.put("input", INPUT);
						event.put("output", sb.toString());
						event.put("raw_output", kept);
						bh.consume(mapper.writeValueAsBytes(event));
					})
					.subscribe(bh::consume);
		}
		c.work(t0, OPS);
		c.end();
	}

	// NullAway: the chunk maps made by StreamBenchmark.setUp all have these keys.
	@SuppressWarnings({"unchecked", "NullAway"})
	static Object mapText(Map<String, Object> c) {
		Map<String, Object> choice = ((List<Map<String, Object>>) c.get("choices")).get(0);
		Object content = ((Map<String, Object>) choice.get("delta")).get("content");
		return content == null ? "" : content;
	}

	@Benchmark
	@OperationsPerInvocation(OPS)
	public void baselineBareFlux(Blackhole bh, CpuCounters c) {
		bare(Flux.fromArray(chunks.textChunks), bh, c);
	}

	@Benchmark
	@OperationsPerInvocation(OPS)
	public void baselineTextOnly(Blackhole bh, CpuCounters c) {
		textOnly(Flux.fromArray(chunks.textChunks), s -> s, bh, c);
	}

	@Benchmark
	@OperationsPerInvocation(OPS)
	public void baselineHandWrittenJson(Blackhole bh, CpuCounters c) {
		handWrittenJson(Flux.fromArray(chunks.textChunks), s -> s, bh, c);
	}

	@Benchmark
	@OperationsPerInvocation(OPS)
	public void logStream(Blackhole bh, CpuCounters c) {
		logStreams(Flux.fromArray(chunks.textChunks), bh, c);
	}

	@Benchmark
	@OperationsPerInvocation(OPS)
	public void baselineBareFluxOpenAiMaps(Blackhole bh, CpuCounters c) {
		bare(Flux.fromIterable(chunks.mapChunks), bh, c);
	}

	@Benchmark
	@OperationsPerInvocation(OPS)
	public void baselineTextOnlyOpenAiMaps(Blackhole bh, CpuCounters c) {
		textOnly(Flux.fromIterable(chunks.mapChunks), StreamCpuBenchmark::mapText, bh, c);
	}

	@Benchmark
	@OperationsPerInvocation(OPS)
	public void baselineHandWrittenJsonOpenAiMaps(Blackhole bh, CpuCounters c) {
		handWrittenJson(Flux.fromIterable(chunks.mapChunks), StreamCpuBenchmark::mapText, bh, c);
	}

	@Benchmark
	@OperationsPerInvocation(OPS)
	public void logStreamOpenAiMaps(Blackhole bh, CpuCounters c) {
		logStreams(Flux.fromIterable(chunks.mapChunks), bh, c);
	}

	@Benchmark
	@OperationsPerInvocation(OPS)
	public void baselineBareFluxTypedChunks(Blackhole bh, CpuCounters c) {
		bare(Flux.fromIterable(chunks.typedChunks), bh, c);
	}

	@Benchmark
	@OperationsPerInvocation(OPS)
	public void baselineTextOnlyTypedChunks(Blackhole bh, CpuCounters c) {
		textOnly(Flux.fromIterable(chunks.typedChunks), t -> t.text(), bh, c);
	}

	@Benchmark
	@OperationsPerInvocation(OPS)
	public void baselineHandWrittenJsonTypedChunks(Blackhole bh, CpuCounters c) {
		handWrittenJson(Flux.fromIterable(chunks.typedChunks), t -> t.text(), bh, c);
	}

	@Benchmark
	@OperationsPerInvocation(OPS)
	public void logStreamTypedChunks(Blackhole bh, CpuCounters c) {
		logStreams(Flux.fromIterable(chunks.typedChunks), bh, c);
	}
}

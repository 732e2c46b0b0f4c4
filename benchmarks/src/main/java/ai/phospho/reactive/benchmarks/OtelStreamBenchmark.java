package ai.phospho.reactive.benchmarks;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.otel.PhosphoOtel;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import reactor.core.publisher.Flux;

/**
 * {@code logStream} with OpenTelemetry output on ({@link PhosphoOtel} on an SDK with a batch span
 * processor and a metric reader, exporting nowhere) against {@code logStream} without it, in the
 * same run; per stream of {@code chunks} String chunks. The span and metrics cost once per task,
 * never per chunk: the difference should not grow with the chunk count.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class OtelStreamBenchmark {

	@Param({ "10", "1000" })
	int chunks;

	String[] textChunks;
	PhosphoClient plain;
	PhosphoClient withOtel;
	OpenTelemetrySdk sdk;

	@Setup(Level.Trial)
	public void setUp() {
		textChunks = new String[chunks];
		for (int i = 0; i < chunks; i++) {
			textChunks[i] = "tok" + (i % 10) + " ";
		}
		sdk = OpenTelemetrySdk.builder()
				.setTracerProvider(SdkTracerProvider.builder()
						.addSpanProcessor(BatchSpanProcessor.builder(new NowhereSpans()).build()).build())
				.setMeterProvider(SdkMeterProvider.builder().registerMetricReader(new NowhereMetrics()).build())
				.build();
		plain = PhosphoClient.create(PhosphoOptions.builder().exporter(new DiscardingExporter())
				.shutdownHook(false).build());
		withOtel = PhosphoClient.create(PhosphoOptions.builder().exporter(new DiscardingExporter())
				.shutdownHook(false).addTaskListener(PhosphoOtel.create(sdk)).build());
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		plain.shutdown().block(Duration.ofSeconds(10));
		withOtel.shutdown().block(Duration.ofSeconds(10));
		sdk.close();
	}

	@Benchmark
	public void logStream(Blackhole bh) {
		Flux.fromArray(textChunks).transform(plain.logStream("Explain quantum computers.")).subscribe(bh::consume);
	}

	@Benchmark
	public void logStreamWithOtel(Blackhole bh) {
		Flux.fromArray(textChunks).transform(withOtel.logStream("Explain quantum computers.")).subscribe(bh::consume);
	}

	/** Spans batched as usual, then dropped: the cost measured is the application's, not the network's. */
	static final class NowhereSpans implements SpanExporter {
		@Override
		public CompletableResultCode export(Collection<SpanData> spans) {
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode flush() {
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode shutdown() {
			return CompletableResultCode.ofSuccess();
		}
	}

	/** A registered reader, so that the histograms aggregate; never collected. */
	static final class NowhereMetrics implements MetricReader {
		@Override
		public void register(CollectionRegistration registration) {
		}

		@Override
		public CompletableResultCode forceFlush() {
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode shutdown() {
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
			return AggregationTemporality.CUMULATIVE;
		}
	}
}

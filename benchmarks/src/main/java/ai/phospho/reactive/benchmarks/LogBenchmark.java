package ai.phospho.reactive.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoOptions;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
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
 * Benchmark 2: {@code PhosphoClient.log} of two short strings against the OpenTelemetry Java SDK's
 * {@code BatchLogRecordProcessor} emitting a log record of the same text, both with the same queue
 * bound (2048), batch size (512) and delay (500 ms), and an exporter that discards. Both drop when
 * their queue is full; the figure is the cost on the caller's thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public abstract class LogBenchmark {

	static final String INPUT = "Explain quantum computers in less than 20 words.";
	static final String OUTPUT = "Qubits harness quantum physics for faster, more powerful computation.";

	PhosphoClient client;
	/** With a disk spool: {@code log} is still one offer; the spool is the worker's business. */
	PhosphoClient spooled;
	java.nio.file.Path spoolDir;
	SdkLoggerProvider otelProvider;
	Logger otelLogger;

	@Setup(Level.Trial)
	public void setUp() {
		client = PhosphoClient.create(PhosphoOptions.builder()
				.exporter(new DiscardingExporter())
				.maxQueueSize(2048)
				.maxBatchSize(512)
				.lingerDelay(Duration.ofMillis(500))
				.shutdownHook(false)
				.build());
		try {
			spoolDir = java.nio.file.Files.createTempDirectory("phospho-spool-bench");
		}
		catch (java.io.IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
		spooled = PhosphoClient.create(PhosphoOptions.builder()
				.exporter(new DiscardingExporter())
				.maxQueueSize(2048)
				.maxBatchSize(512)
				.lingerDelay(Duration.ofMillis(500))
				.shutdownHook(false)
				.spool(spoolDir)
				.build());
		otelProvider = otelBaseline();
		otelLogger = otelProvider.get("benchmark");
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		client.shutdown().block(Duration.ofSeconds(10));
		spooled.shutdown().block(Duration.ofSeconds(10));
		deleteTree(spoolDir);
		otelProvider.shutdown().join(10, TimeUnit.SECONDS);
	}

	@Benchmark
	public LoggedTask phosphoLog() {
		return client.log(INPUT, OUTPUT);
	}

	@Benchmark
	public LoggedTask phosphoLogSpooled() {
		return spooled.log(INPUT, OUTPUT);
	}

	static void deleteTree(java.nio.file.Path dir) {
		try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.walk(dir)) {
			s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		}
		catch (java.io.IOException ignored) {
			// A temporary directory: left for the system to clean.
		}
	}

	@Benchmark
	public void baselineOtelBatchLogRecord() {
		otelLogger.logRecordBuilder()
				.setBody(INPUT)
				.setAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("output"), OUTPUT)
				.emit();
	}

	/**
	 * OpenTelemetry's log pipeline as the baseline: a {@code BatchLogRecordProcessor} with the bounds
	 * and delay of phospho's defaults (2,048 queued, batches of 512, 500 ms) and an exporter that
	 * does nothing. One definition, so every benchmark compares with the same baseline.
	 */
	static SdkLoggerProvider otelBaseline() {
		return SdkLoggerProvider.builder()
				.addLogRecordProcessor(BatchLogRecordProcessor.builder(new NoopLogRecordExporter())
						.setMaxQueueSize(2048)
						.setMaxExportBatchSize(512)
						.setScheduleDelay(Duration.ofMillis(500))
						.build())
				.build();
	}

	static final class NoopLogRecordExporter implements LogRecordExporter {
		@Override
		public CompletableResultCode export(java.util.Collection<io.opentelemetry.sdk.logs.data.LogRecordData> logs) {
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

	/** One logging thread. */
	@org.openjdk.jmh.annotations.Threads(1)
	public static class OneThread extends LogBenchmark {
	}

	/** Two logging threads, racing on the same queue. */
	@org.openjdk.jmh.annotations.Threads(2)
	public static class TwoThreads extends LogBenchmark {
	}
}

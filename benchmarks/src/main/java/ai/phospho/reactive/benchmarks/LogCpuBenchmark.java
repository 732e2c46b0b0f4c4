package ai.phospho.reactive.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoOptions;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@code log} costs its user, per task: {@value #TASKS} tasks per invocation and thread, then a
 * flush, against OpenTelemetry's {@code BatchLogRecordProcessor} with a no-op exporter (same queue
 * bound, batch size and delay as {@link LogBenchmark}), which is flushed the same way. The queue
 * never fills, so neither side drops. Figures (see {@link CpuCounters}): {@code callerNsPerOp}, the
 * producer's time per task without the flush, and {@code cpuNsPerOp}, the process's CPU per task.
 * Both exporters do nothing with what they get ({@link DiscardingExporter} only counts, so that a
 * lost task fails the trial): the figure is the cost of getting a task to the exporter.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public abstract class LogCpuBenchmark {

	static final int TASKS = 500;

	DiscardingExporter exporter;
	PhosphoClient client;
	final LongAdder logged = new LongAdder();
	SdkLoggerProvider otelProvider;
	Logger otelLogger;

	@Setup(Level.Trial)
	public void setUp() {
		exporter = new DiscardingExporter();
		client = PhosphoClient.create(PhosphoOptions.builder()
				.exporter(exporter)
				.maxQueueSize(2048)
				.maxBatchSize(512)
				.lingerDelay(Duration.ofMillis(500))
				.shutdownHook(false)
				.build());
		otelProvider = LogBenchmark.otelBaseline();
		otelLogger = otelProvider.get("benchmark");
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		client.shutdown().block(Duration.ofSeconds(10));
		otelProvider.shutdown().join(10, TimeUnit.SECONDS);
		if (exporter.tasks.sum() != logged.sum()) {
			throw new IllegalStateException("tasks lost: " + logged.sum() + " logged, " + exporter.tasks.sum()
					+ " exported");
		}
	}

	@Benchmark
	@OperationsPerInvocation(TASKS)
	public void phosphoLog(CpuCounters c) {
		long t0 = c.start();
		for (int i = 0; i < TASKS; i++) {
			client.log(LogBenchmark.INPUT, LogBenchmark.OUTPUT);
		}
		c.work(t0, TASKS);
		client.flush().block(Duration.ofMinutes(1));
		logged.add(TASKS);
		c.end();
	}

	@Benchmark
	@OperationsPerInvocation(TASKS)
	public void baselineOtelBatchLogRecord(CpuCounters c) {
		long t0 = c.start();
		for (int i = 0; i < TASKS; i++) {
			otelLogger.logRecordBuilder()
					.setBody(LogBenchmark.INPUT)
					.setAttribute(AttributeKey.stringKey("output"), LogBenchmark.OUTPUT)
					.emit();
		}
		c.work(t0, TASKS);
		otelProvider.forceFlush().join(1, TimeUnit.MINUTES);
		c.end();
	}

	/** One logging thread. */
	@Threads(1)
	public static class OneThread extends LogCpuBenchmark {
	}

	/** Two logging threads, racing on the same queue. */
	@Threads(2)
	public static class TwoThreads extends LogCpuBenchmark {
	}
}

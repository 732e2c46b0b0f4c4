package ai.phospho.reactive.benchmarks;

import java.util.concurrent.TimeUnit;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.TaskLog;
import ai.phospho.reactive.internal.Sampler;
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
 * The sampling decision on the caller's path ({@code sampleRate}): the hash of a session id against
 * the baseline of {@code String.hashCode()} on the same ids (JDK-cached, so it is the cost of reading
 * the id); and a whole {@code log} of a sampled-out task, which builds nothing but its ids.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SamplingBenchmark {

	private static final int IDS = 1024;

	private final String[] sessions = new String[IDS];
	private final Sampler sampler = Sampler.of(0.1);
	private PhosphoClient sampledOut;
	private int next;

	@Setup(Level.Trial)
	public void setUp() {
		for (int i = 0; i < IDS; i++) {
			sessions[i] = "session_" + Long.toHexString(Double.doubleToLongBits(Math.random())) + i;
		}
		sampledOut = PhosphoClient.create(PhosphoOptions.builder().exporter(new DiscardingExporter())
				.sampleRate(0.0).shutdownHook(false).build());
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		sampledOut.shutdown().block();
	}

	private String nextSession() {
		next = (next + 1) & (IDS - 1);
		return sessions[next];
	}

	@Benchmark
	public int baselineHashCode() {
		return nextSession().hashCode();
	}

	@Benchmark
	public boolean decision() {
		return sampler.keeps(nextSession());
	}

	@Benchmark
	public LoggedTask logSampledOut() {
		return sampledOut.log(TaskLog.of(LogBenchmark.INPUT).output(LogBenchmark.OUTPUT).sessionId(nextSession()));
	}
}

package ai.phospho.reactive.benchmarks;

import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.ListStatistics;

/**
 * One figure of a benchmark with its error (99.9 % confidence interval, as JMH prints), and whether
 * it allows a verdict: only when the error is below {@value #MAX_RELATIVE_ERROR} of the figure.
 *
 * <p>JMH reports an {@code @AuxCounters(EVENTS)} counter as its sum over the iterations, without an
 * error; {@link CpuCounters} sets a per-operation value each iteration, so the figure here is the mean
 * of the iterations' values (every fork's) and the error is computed from them as JMH does for a
 * primary result ({@code ListStatistics.getMeanErrorAt(0.999)}, Student's t).
 */
record Figure(double score, double error, String unit) {

	/** A result counts only if its error is below this fraction of the figure. */
	static final double MAX_RELATIVE_ERROR = 0.1;

	static Figure primary(RunResult r) {
		Result<?> p = r.getPrimaryResult();
		return new Figure(p.getScore(), p.getScoreError(), p.getScoreUnit());
	}

	/** The per-iteration counter {@code metric} of {@link CpuCounters}, or null if the benchmark has none. */
	static @Nullable Figure aux(RunResult r, String metric) {
		ListStatistics stats = new ListStatistics();
		for (BenchmarkResult fork : r.getBenchmarkResults()) {
			for (IterationResult it : fork.getIterationResults()) {
				for (Map.Entry<String, Result> e : it.getSecondaryResults().entrySet()) {
					if (e.getKey().equals(metric) || e.getKey().endsWith(":" + metric)) {
						stats.addValue(e.getValue().getScore());
					}
				}
			}
		}
		if (stats.getN() == 0) {
			return null;
		}
		return new Figure(stats.getMean(), stats.getN() > 1 ? stats.getMeanErrorAt(0.999) : Double.NaN, "ns/op");
	}

	/** Whether this figure allows a verdict. */
	boolean counts() {
		return Double.isFinite(error) && score > 0 && error < MAX_RELATIVE_ERROR * score;
	}

	@Override
	public String toString() {
		String e = Double.isFinite(error) ? String.format(Locale.ROOT, "%.1f", error) : "?";
		return String.format(Locale.ROOT, "%.1f ± %s %s", score, e, unit);
	}
}

package ai.phospho.reactive.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs JMH with the given command-line options, then writes a Markdown table to the file named by
 * the system property {@code results} (default {@code results/latest.md}): one row per benchmark
 * with its figure, its baseline from the same run, the ratio, whether both errors allow a verdict
 * ({@link Figure#counts}), and the allocation per operation (when {@code -prof gc} is on), plus the
 * JDK, core count, load and date; a benchmark with {@link CpuCounters} has a row per counter too.
 *
 * <p>Every benchmark method whose name starts with {@code baseline} is a baseline; every other method
 * of the same class and parameters is compared with the baseline named in {@link #BASELINE_OF}, or
 * with the class's only baseline.
 */
public final class RunBenchmarks {

	/** Subjects compared with a baseline other than their class's first one. */
	static final Map<String, String> BASELINE_OF = new HashMap<>();

	static {
		// A stream is compared with the hand-written accumulation; the bare Flux rows give the floor.
		BASELINE_OF.put("StreamBenchmark.logStream", "baselineHandWritten");
		BASELINE_OF.put("StreamBenchmark.logStreamOpenAiMaps", "baselineHandWrittenOpenAiMaps");
		BASELINE_OF.put("StreamBenchmark.logStreamTypedChunks", "baselineHandWrittenTypedChunks");
		// With the CPU counters: the stream's thread against the text-only accumulation, the whole
		// process (and the wall time, flush included) against the hand-written event JSON.
		for (String kind : new String[] {"", "OpenAiMaps", "TypedChunks"}) {
			BASELINE_OF.put("StreamCpuBenchmark.logStream" + kind, "baselineHandWrittenJson" + kind);
			BASELINE_OF.put("StreamCpuBenchmark.logStream" + kind + ":callerNsPerOp", "baselineTextOnly" + kind);
		}
	}

	/** The figures of each benchmark: the primary ({@code ""}) and the counters of {@link CpuCounters}. */
	static final String[] METRICS = {"", "callerNsPerOp", "cpuNsPerOp"};

	private RunBenchmarks() {
	}

	public static void main(String[] args) throws RunnerException, CommandLineOptionException, IOException {
		CommandLineOptions options = new CommandLineOptions(args);
		if (options.shouldHelp()) {
			options.showHelp();
			return;
		}
		Collection<RunResult> results = new Runner(options).run();
		Path out = Path.of(System.getProperty("results", "results/latest.md"));
		if (out.getParent() != null) {
			Files.createDirectories(out.getParent());
		}
		Files.writeString(out, table(results, String.join(" ", args)));
		System.out.println("Results table written to " + out.toAbsolutePath());
	}

	static String table(Collection<RunResult> results, String args) {
		Map<String, RunResult> byKey = new HashMap<>();
		for (RunResult r : results) {
			byKey.put(key(r), r);
		}
		StringBuilder sb = new StringBuilder();
		sb.append("# Benchmark results\n\n");
		sb.append("- date: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
		sb.append("- JDK: ").append(System.getProperty("java.vm.name")).append(' ')
				.append(System.getProperty("java.runtime.version")).append('\n');
		sb.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
				.append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
				.append(", memory (max heap of the harness JVM) ").append(Runtime.getRuntime().maxMemory() / (1024 * 1024))
				.append(" MiB; the forks take their heap from the JMH arguments\n");
		sb.append("- JMH arguments: `").append(args.isBlank() ? "(defaults)" : args).append("`\n");
		String load = System.getProperty("load");
		if (load != null && !load.isBlank()) {
			sb.append("- load before the run (`uptime`): ").append(load.trim()).append('\n');
		}
		sb.append("- note: the machine's cores are shared with other builds, so figures are noisy; compare a row "
				+ "with its baseline of the same run rather than across runs.\n\n");
		sb.append("Ratio = figure / baseline of the same run: below 1 is faster for time, above 1 is faster for throughput. "
				+ "Errors are JMH's 99.9 % confidence intervals. A figure counts only if its error is below "
				+ Math.round(Figure.MAX_RELATIVE_ERROR * 100) + " % of it; a row whose figure or baseline does not "
				+ "is marked **no verdict**, and its ratio says nothing.\n\n");
		sb.append("Rows named `benchmark:callerNsPerOp` and `benchmark:cpuNsPerOp` are the secondary figures of "
				+ "`StreamCpuBenchmark` and `LogCpuBenchmark` (`CpuCounters`): time on the caller's (stream's, "
				+ "producer's) thread per operation without the flush, and the process's CPU time per operation over "
				+ "all threads (caller, export worker, GC, JIT), flush included.\n\n");
		sb.append("| benchmark | params | threads | figure | baseline | baseline figure | ratio | verdict | alloc B/op |\n");
		sb.append("|---|---|---|---|---|---|---|---|---|\n");
		List<RunResult> sorted = new ArrayList<>(results);
		sorted.sort((a, b) -> key(a).compareTo(key(b)));
		for (RunResult r : sorted) {
			String label = r.getParams().getBenchmark();
			String method = label.substring(label.lastIndexOf('.') + 1);
			String cls = label.substring(0, label.lastIndexOf('.'));
			for (String metric : METRICS) {
				Figure figure = metric.isEmpty() ? Figure.primary(r) : Figure.aux(r, metric);
				if (figure == null) {
					continue;
				}
				RunResult base = method.startsWith("baseline") ? null : baselineFor(cls, method, metric, r, byKey);
				Figure baseFigure = base == null ? null : metric.isEmpty() ? Figure.primary(base) : Figure.aux(base, metric);
				String suffix = metric.isEmpty() ? "" : ":" + metric;
				boolean verdict = figure.counts() && (baseFigure == null || baseFigure.counts());
				sb.append("| ").append(shortName(label)).append(suffix)
						.append(" | ").append(params(r))
						.append(" | ").append(r.getParams().getThreads())
						.append(" | ").append(figure)
						.append(" | ").append(base == null ? "-" : shortName(base.getParams().getBenchmark()) + suffix)
						.append(" | ").append(baseFigure == null ? "-" : baseFigure.toString())
						.append(" | ").append(baseFigure == null ? "-" : ratio(figure, baseFigure))
						.append(" | ").append(verdict ? "yes" : "**no verdict**")
						.append(" | ").append(metric.isEmpty() ? alloc(r) : "-")
						.append(" |\n");
			}
		}
		sb.append(Targets.export(results));
		sb.append(Targets.section(results));
		return sb.toString();
	}

	private static @Nullable RunResult baselineFor(String cls, String method, String metric, RunResult r,
			Map<String, RunResult> byKey) {
		String subject = cls.substring(cls.lastIndexOf('.') + 1) + "." + method;
		String named = BASELINE_OF.get(subject + ":" + metric);
		if (named == null) {
			named = BASELINE_OF.get(subject);
		}
		if (named != null) {
			return byKey.get(cls + "." + named + "|" + params(r));
		}
		for (Map.Entry<String, RunResult> e : byKey.entrySet()) {
			String label = e.getValue().getParams().getBenchmark();
			if (label.startsWith(cls + ".baseline") && e.getKey().endsWith("|" + params(r))) {
				return e.getValue();
			}
		}
		return null;
	}

	private static String key(RunResult r) {
		return r.getParams().getBenchmark() + "|" + params(r);
	}

	static String params(RunResult r) {
		List<String> ps = new ArrayList<>();
		for (String k : r.getParams().getParamsKeys()) {
			ps.add(k + "=" + r.getParams().getParam(k));
		}
		return ps.isEmpty() ? "-" : String.join(", ", ps);
	}

	static String shortName(String label) {
		String s = label.substring("ai.phospho.reactive.benchmarks.".length());
		return s;
	}

	static String figure(Result<?> r) {
		return String.format(Locale.ROOT, "%.1f ± %.1f %s", r.getScore(), finite(r.getScoreError()), r.getScoreUnit());
	}

	private static double finite(double d) {
		return Double.isFinite(d) ? d : 0;
	}

	private static String ratio(Figure subject, Figure base) {
		if (base.score() == 0) {
			return "-";
		}
		return String.format(Locale.ROOT, "%.2f", subject.score() / base.score());
	}

	static String alloc(RunResult r) {
		Result<?> gc = r.getSecondaryResults().get("·gc.alloc.rate.norm");
		if (gc == null) {
			gc = r.getSecondaryResults().get("gc.alloc.rate.norm");
		}
		return gc == null ? "-" : String.format(Locale.ROOT, "%.0f", gc.getScore());
	}
}

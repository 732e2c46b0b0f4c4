package ai.phospho.reactive.benchmarks;

import java.util.Collection;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * The sections of the results table computed from the figures: the export rates (benchmark 4) and
 * each target of the issue with whether this run met it. A target whose benchmarks did not run
 * (a partial run) says so instead of guessing.
 */
final class Targets {

	/** Stream target: at most this many ns per chunk over the bare Flux. */
	static final double STREAM_NS_OVER_BARE = 15;
	/** Stream target on the stream's thread: at most this many ns per chunk over the text-only accumulation. */
	static final double STREAM_NS_OVER_TEXT_ONLY = 5;
	/** Export target: at least this fraction of the raw client's rate. */
	static final double EXPORT_FRACTION_OF_RAW = 0.8;

	private Targets() {
	}

	static String export(Collection<RunResult> results) {
		RunResult lib = find(results, "ExportBenchmark.phosphoHttpExporter");
		RunResult raw = find(results, "ExportBenchmark.baselineRawReactorNetty");
		if (lib == null && raw == null) {
			return "";
		}
		double bytesPerTask = ExportBenchmark.wireBytesPerTask();
		StringBuilder sb = new StringBuilder();
		sb.append("\n## Export end to end (benchmark 4)\n\n");
		sb.append(String.format(Locale.ROOT, "Tasks of %.0f wire bytes each (event JSON in a batch of %d), one producer "
				+ "thread, %d requests in flight, to MockPhosphoServer on 127.0.0.1 in the same JVM (recording off; "
				+ "it still parses, validates and echoes every event). One operation = the whole run of `tasks` tasks, "
				+ "from the first log to the end of flush. The short suite runs 100,000 tasks; the issue's "
				+ "1,000,000 is `benchmarks/run.sh --full`. Allocation counts every thread of the JVM, the server's "
				+ "included.\n\n", bytesPerTask, ExportBenchmark.BATCH, ExportBenchmark.IN_FLIGHT));
		sb.append("| benchmark | tasks | time per run | tasks/s | MB/s | alloc per task (all threads) |\n");
		sb.append("|---|---|---|---|---|---|\n");
		for (RunResult r : new RunResult[] {lib, raw}) {
			if (r == null) {
				continue;
			}
			int tasks = Integer.parseInt(r.getParams().getParam("tasks"));
			double rate = tasksPerSecond(r);
			String alloc = RunBenchmarks.alloc(r);
			sb.append(String.format(Locale.ROOT, "| %s | %,d | %s | %,.0f | %.1f | %s |\n",
					RunBenchmarks.shortName(r.getParams().getBenchmark()), tasks,
					RunBenchmarks.figure(r.getPrimaryResult()), rate, rate * bytesPerTask / 1e6,
					alloc.equals("-") ? "-" : String.format(Locale.ROOT, "%.0f B", Double.parseDouble(alloc) / tasks)));
		}
		return sb.toString();
	}

	static String section(Collection<RunResult> results) {
		StringBuilder sb = new StringBuilder();
		sb.append("\n## Targets\n\n");
		sb.append("| target | figure | result |\n|---|---|---|\n");
		for (String kind : new String[] {"", "OpenAiMaps", "TypedChunks"}) {
			RunResult lib = find(results, "StreamBenchmark.logStream" + kind);
			RunResult bare = find(results, "StreamBenchmark.baselineBareFlux" + kind);
			RunResult hand = find(results, "StreamBenchmark.baselineHandWritten" + kind);
			String what = kind.isEmpty() ? "String chunks" : kind.equals("OpenAiMaps") ? "OpenAI chunk maps" : "typed ChatCompletionChunk";
			if (lib == null || bare == null || hand == null) {
				sb.append("| 1. stream capture, ").append(what).append(" | not run | - |\n");
				continue;
			}
			double over = score(lib) - score(bare);
			sb.append(String.format(Locale.ROOT, "| 1. stream capture, %s: within %.0f ns/chunk of the bare Flux "
					+ "| %+.1f ns/chunk (%.1f vs %.1f) | %s |\n", what, STREAM_NS_OVER_BARE, over, score(lib),
					score(bare), verdict(over <= STREAM_NS_OVER_BARE, lib, bare)));
			sb.append(String.format(Locale.ROOT, "| 1. stream capture, %s: no slower than the hand-written "
					+ "accumulation | %.1f vs %.1f ns/chunk (ratio %.2f) | %s |\n", what, score(lib), score(hand),
					score(lib) / score(hand), verdict(score(lib) <= score(hand), lib, hand)));
		}
		for (String kind : new String[] {"", "OpenAiMaps", "TypedChunks"}) {
			String what = kind.isEmpty() ? "String chunks" : kind.equals("OpenAiMaps") ? "OpenAI chunk maps" : "typed ChatCompletionChunk";
			RunResult lib = find(results, "StreamCpuBenchmark.logStream" + kind);
			RunResult text = find(results, "StreamCpuBenchmark.baselineTextOnly" + kind);
			RunResult json = find(results, "StreamCpuBenchmark.baselineHandWrittenJson" + kind);
			if (lib == null || text == null || json == null) {
				sb.append("| 1. stream cost (CPU counters), ").append(what).append(" | not run | - |\n");
				continue;
			}
			sb.append(compare("1. stream's thread, " + what + ": within " + STREAM_NS_OVER_TEXT_ONLY
					+ " ns/chunk of the text-only hand-written accumulation", lib, text, "callerNsPerOp",
					STREAM_NS_OVER_TEXT_ONLY, "ns/chunk"));
			sb.append(compare("1. total CPU per chunk, all threads, " + what + ": no more than the hand-written "
					+ "event JSON", lib, json, "cpuNsPerOp", 0, "ns/chunk"));
		}
		for (String threads : new String[] {"OneThread", "TwoThreads"}) {
			RunResult lib = find(results, "LogBenchmark." + threads + ".phosphoLog");
			RunResult otel = find(results, "LogBenchmark." + threads + ".baselineOtelBatchLogRecord");
			String what = threads.equals("OneThread") ? "1 thread" : "2 threads";
			if (lib == null || otel == null) {
				sb.append("| 2. log, ").append(what).append(" | not run | - |\n");
				continue;
			}
			sb.append(String.format(Locale.ROOT, "| 2. log of two short strings, %s: ahead of OpenTelemetry's "
					+ "BatchLogRecordProcessor | %.1f vs %.1f ns/op (ratio %.2f) | %s |\n", what, score(lib),
					score(otel), score(lib) / score(otel), verdict(score(lib) <= score(otel), lib, otel)));
		}
		for (String threads : new String[] {"OneThread", "TwoThreads"}) {
			RunResult lib = find(results, "LogCpuBenchmark." + threads + ".phosphoLog");
			RunResult otel = find(results, "LogCpuBenchmark." + threads + ".baselineOtelBatchLogRecord");
			String what = threads.equals("OneThread") ? "1 thread" : "2 threads";
			if (lib == null || otel == null) {
				sb.append("| 2. log (CPU counters), ").append(what).append(" | not run | - |\n");
				continue;
			}
			sb.append(compare("2. log, " + what + ", producer time: ahead of OpenTelemetry", lib, otel,
					"callerNsPerOp", 0, "ns/task"));
			sb.append(compare("2. log, " + what + ", total CPU: ahead of OpenTelemetry", lib, otel,
					"cpuNsPerOp", 0, "ns/task"));
		}
		RunResult lib = find(results, "ExportBenchmark.phosphoHttpExporter");
		RunResult raw = find(results, "ExportBenchmark.baselineRawReactorNetty");
		if (lib == null || raw == null) {
			sb.append("| 4. export | not run | - |\n");
		}
		else {
			double fraction = tasksPerSecond(lib) / tasksPerSecond(raw);
			sb.append(String.format(Locale.ROOT, "| 4. export end to end: at least %.1f of the raw Reactor Netty rate "
					+ "| %,.0f vs %,.0f tasks/s (%.2f of raw) | %s |\n", EXPORT_FRACTION_OF_RAW, tasksPerSecond(lib),
					tasksPerSecond(raw), fraction, verdict(fraction >= EXPORT_FRACTION_OF_RAW, lib, raw)));
		}
		sb.append("| 5. memory: nothing grows without bound | see the Memory section below | - |\n");
		sb.append("\nWhat `-prof stack` and `-prof gc` show for the missed targets: `profiles.md` next to this file.\n");
		return sb.toString();
	}

	/** Met or missed, unless a figure's error is too large for a verdict ({@link Figure#counts}). */
	private static String verdict(boolean met, RunResult... figures) {
		for (RunResult r : figures) {
			if (!Figure.primary(r).counts()) {
				return "**no verdict** (" + (met ? "met" : "missed") + " on the means)";
			}
		}
		return met ? "**met**" : "**missed**";
	}

	/** A target on a counter of {@link CpuCounters}: the library at most {@code slack} over the baseline. */
	private static String compare(String target, RunResult lib, RunResult base, String metric, double slack,
			String unit) {
		Figure l = Figure.aux(lib, metric);
		Figure b = Figure.aux(base, metric);
		if (l == null || b == null) {
			return "| " + target + " | not measured | - |\n";
		}
		boolean met = l.score() <= b.score() + slack;
		String result = l.counts() && b.counts() ? (met ? "**met**" : "**missed**")
				: "**no verdict** (" + (met ? "met" : "missed") + " on the means)";
		return String.format(Locale.ROOT, "| %s | %.1f ± %.1f vs %.1f ± %.1f %s (ratio %.2f, %+.1f) | %s |\n", target,
				l.score(), l.error(), b.score(), b.error(), unit, l.score() / b.score(), l.score() - b.score(), result);
	}

	private static double score(RunResult r) {
		return r.getPrimaryResult().getScore();
	}

	/** Tasks per second of a single-shot export run, whose score is the time of one run. */
	static double tasksPerSecond(RunResult r) {
		Result<?> p = r.getPrimaryResult();
		double millis = p.getScoreUnit().startsWith("ms") ? p.getScore()
				: p.getScoreUnit().startsWith("s") ? p.getScore() * 1000 : p.getScore() / 1000;
		return Integer.parseInt(r.getParams().getParam("tasks")) / (millis / 1000);
	}

	private static @Nullable RunResult find(Collection<RunResult> results, String shortLabel) {
		for (RunResult r : results) {
			if (RunBenchmarks.shortName(r.getParams().getBenchmark()).equals(shortLabel)) {
				return r;
			}
		}
		return null;
	}
}

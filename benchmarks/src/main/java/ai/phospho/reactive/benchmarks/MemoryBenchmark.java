package ai.phospho.reactive.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.PhosphoStats;
import ai.phospho.reactive.test.MockPhosphoServer;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Benchmark 5, memory; a plain program (not JMH: retained heap is one measurement after forced
 * GCs, not a rate), run by {@code run.sh} after the JMH suite, which appends its rows to the
 * results file named by the system property {@code results}.
 *
 * <ol>
 * <li>Retained heap per open stream: {@value #STREAMS} concurrent subscriptions, each to its own
 * unicast sink that has emitted one chunk and then waits (as a network source would), with
 * {@code logStream} and, as the baseline, without. Figure: (heap used after GC with the streams
 * open - before) / streams.
 * <li>Heap after one million tasks exported through the pipeline: {@link PhosphoClient} with the
 * HTTP exporter to a {@link MockPhosphoServer} (recording off), tasks logged in rounds that each end
 * with {@code flush}; heap used after GC at 100k, 500k and 1M tasks must stay flat.
 * </ol>
 *
 * Heap used after GC is read from {@link MemoryMXBean} after {@code System.gc()} (run.sh starts this
 * program with the serial collector, whose full GC compacts, so the figure is the live set).
 */
public final class MemoryBenchmark {

	static final int STREAMS = 100_000;
	static final int EXPORTED = 1_000_000;
	static final int ROUND = 10_000;
	static final String CHUNK = "Qubits";
	/** What an open stream cost over a bare subscription when issue 18 was filed: not to be exceeded. */
	static final long OPEN_STREAM_BYTES = 331;

	private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

	private MemoryBenchmark() {
	}

	public static void main(String[] args) throws IOException, InterruptedException {
		StringBuilder md = new StringBuilder();
		md.append("\n## Memory (benchmark 5)\n\n");
		md.append("A separate program (`MemoryBenchmark`, serial GC, `-Xmx1g`): heap used after forced GC, ")
				.append("read from `MemoryMXBean`.\n\n");

		long bare = perStream(flux -> flux);
		PhosphoClient client = PhosphoClient.create(PhosphoOptions.builder()
				.exporter(new DiscardingExporter())
				.maxQueueSize(STREAMS * 2)
				.shutdownHook(false)
				.build());
		long logged = perStream(flux -> flux.transform(client.logStream("Explain quantum computers.")));
		client.shutdown().block(Duration.ofSeconds(30));
		md.append("| open streams | bytes retained per stream | baseline (same streams without logStream) | overhead of logStream |\n");
		md.append("|---|---|---|---|\n");
		md.append(String.format(Locale.ROOT, "| %,d | %,d B | %,d B | %,d B |\n\n", STREAMS, logged, bare, logged - bare));
		md.append(String.format(Locale.ROOT, "Open-stream target (no more than the %d B over a bare subscription of issue 18): %s.%n%n",
				OPEN_STREAM_BYTES, logged - bare <= OPEN_STREAM_BYTES ? "**met**" : "**missed**"));
		System.out.printf(Locale.ROOT, "open streams: %d B/stream with logStream, %d B/stream bare%n", logged, bare);

		md.append("| tasks exported (HTTP exporter to MockPhosphoServer) | heap used after GC | change since 100k |\n");
		md.append("|---|---|---|\n");
		List<long[]> rows = exportedHeap();
		long at100k = rows.get(1)[1];
		for (long[] row : rows) {
			md.append(String.format(Locale.ROOT, "| %,d | %.1f MiB | %s |\n", row[0], row[1] / 1048576.0,
					row[0] < 100_000 ? "-" : String.format(Locale.ROOT, "%+.1f MiB", (row[1] - at100k) / 1048576.0)));
			System.out.printf(Locale.ROOT, "after %d tasks exported: %.1f MiB%n", row[0], row[1] / 1048576.0);
		}
		long growth = rows.get(rows.size() - 1)[1] - at100k;
		// Flat: less than 1 byte per task exported between 100k and 1M (the queue and buffers are bounded).
		boolean flat = growth < (EXPORTED - 100_000);
		md.append(String.format(Locale.ROOT, "\nMemory target (nothing grows without bound): %s, %+.1f MiB from 100k to 1M tasks.\n",
				flat ? "**met**" : "**missed**", growth / 1048576.0));
		String results = System.getProperty("results");
		if (results != null) {
			Files.writeString(Path.of(results), md, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		else {
			System.out.print(md);
		}
	}

	/** Bytes retained per open stream: each stream's sink has emitted one chunk and waits. */
	static long perStream(Function<Flux<String>, Flux<String>> operator) throws InterruptedException {
		List<Sinks.Many<String>> sinks = new ArrayList<>(STREAMS);
		List<Disposable> subscriptions = new ArrayList<>(STREAMS);
		// Both lists are sized up front so that their growth is not counted.
		long before = usedAfterGc();
		for (int i = 0; i < STREAMS; i++) {
			Sinks.Many<String> sink = Sinks.many().unicast().onBackpressureBuffer();
			subscriptions.add(operator.apply(sink.asFlux()).subscribe(c -> { }));
			sink.tryEmitNext(CHUNK);
			sinks.add(sink);
		}
		long after = usedAfterGc();
		long per = (after - before) / STREAMS;
		for (Sinks.Many<String> s : sinks) {
			s.tryEmitComplete();
		}
		subscriptions.forEach(Disposable::dispose);
		return per;
	}

	/** {tasks, heap used after GC} at 0, 100k, 500k and 1M tasks exported. */
	static List<long[]> exportedHeap() throws InterruptedException {
		List<long[]> rows = new ArrayList<>();
		try (MockPhosphoServer server = MockPhosphoServer.start().recording(false)) {
			PhosphoClient client = PhosphoClient.create(server.options().maxQueueSize(ROUND * 2).build());
			rows.add(new long[] {0, usedAfterGc()});
			long done = 0;
			while (done < EXPORTED) {
				for (int i = 0; i < ROUND; i++) {
					client.log(ExportBenchmark.INPUT, ExportBenchmark.OUTPUT);
				}
				client.flush().block(Duration.ofMinutes(2));
				done += ROUND;
				if (done == 100_000 || done == 500_000 || done == EXPORTED) {
					rows.add(new long[] {done, usedAfterGc()});
				}
			}
			PhosphoStats stats = client.stats();
			client.shutdown().block(Duration.ofSeconds(30));
			if (stats.exported() != EXPORTED || stats.dropped() != 0 || server.eventCount() != EXPORTED) {
				throw new IllegalStateException("not every task was exported: " + stats + ", stored "
						+ server.eventCount());
			}
		}
		return rows;
	}

	static long usedAfterGc() throws InterruptedException {
		long used = Long.MAX_VALUE;
		// Several rounds: finalizable and weakly-reachable objects need more than one.
		for (int i = 0; i < 3; i++) {
			System.gc();
			Thread.sleep(100);
			used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
		}
		return used;
	}
}

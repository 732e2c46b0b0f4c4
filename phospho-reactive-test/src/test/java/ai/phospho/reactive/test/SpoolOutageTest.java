package ai.phospho.reactive.test;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoStats;
import ai.phospho.reactive.TaskLog;
import ai.phospho.reactive.internal.ExportPipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A long outage: the server is down while many small tasks are logged, then comes back. The spool
 * absorbs them while the heap stays flat, and the backlog drains once the server is back. Scaled
 * down from the 1,000,000 tasks to 500,000, which runs in about 20 s here.
 */
class SpoolOutageTest {

	private static final int TOTAL = 500_000;
	private static final int CHUNK = 10_000;

	@Test
	void theSpoolAbsorbsAnOutageWithAFlatHeapAndDrainsWhenTheServerIsBack(@TempDir Path dir) throws Exception {
		try (MockPhosphoServer server = MockPhosphoServer.start()) {
			server.recording(false);
			PhosphoClient client = PhosphoClient.create(server.options().spool(dir).maxQueueSize(2 * CHUNK)
					.httpExporter(h -> h.maxRetryDuration(Duration.ofMillis(200)).initialBackoff(Duration.ofMillis(50))
							.maxBackoff(Duration.ofMillis(200)))
					.lingerDelay(Duration.ofMillis(20)).build());
			ExportPipeline pipeline = pipeline(client);
			server.stop();
			long heapAtStart = 0;
			long start = System.nanoTime();
			for (int i = 0; i < TOTAL;) {
				int end = i + CHUNK;
				for (; i < end; i++) {
					client.log(TaskLog.of("q" + i).output("a" + i));
				}
				// Paced by the spool, as the queue bounds it: no task is dropped for a full queue.
				pipeline.spooled().block(Duration.ofSeconds(60));
				if (i == 2 * CHUNK) {
					heapAtStart = heapAfterGc();
				}
			}
			long heapAtEnd = heapAfterGc();
			long spoolFull = spoolBytes(dir);
			PhosphoStats down = client.stats();
			server.restart();
			client.flush().block(Duration.ofSeconds(120));
			PhosphoStats up = client.stats();
			long spoolAfter = spoolBytes(dir);
			System.out.printf("outage: %d tasks in %d ms; heap after GC %d KiB at %d tasks, %d KiB at %d; spool %d KiB "
					+ "full, %d KiB drained; %s%n", TOTAL, (System.nanoTime() - start) / 1_000_000, heapAtStart / 1024,
					2 * CHUNK, heapAtEnd / 1024, TOTAL, spoolFull / 1024, spoolAfter / 1024, up);
			assertThat(down.queued()).isEqualTo(TOTAL);
			assertThat(down.exported()).isZero();
			assertThat(up.exported()).isEqualTo(TOTAL);
			assertThat(server.eventCount()).isEqualTo(TOTAL);
			assertThat(up.queued() + up.dropped() + up.failed()).isZero();
			// Ten times the tasks, the same heap: at most 16 MiB more, where holding them would take 100.
			assertThat(heapAtEnd - heapAtStart).isLessThan(16L << 20);
			assertThat(spoolFull).isGreaterThan(20L << 20);
			// Drained, the spool is back to a small segment: its last acknowledgement.
			assertThat(spoolAfter).isLessThan(64 * 1024);
			client.shutdown().block(Duration.ofSeconds(30));
		}
	}

	static ExportPipeline pipeline(PhosphoClient client) throws ReflectiveOperationException {
		Field f = PhosphoClient.class.getDeclaredField("pipeline");
		f.setAccessible(true);
		return (ExportPipeline) f.get(client);
	}

	private static long heapAfterGc() throws InterruptedException {
		for (int i = 0; i < 3; i++) {
			System.gc();
			Thread.sleep(50);
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	private static long spoolBytes(Path dir) throws java.io.IOException {
		try (Stream<Path> s = Files.list(dir)) {
			return s.mapToLong(p -> p.toFile().length()).sum();
		}
	}
}

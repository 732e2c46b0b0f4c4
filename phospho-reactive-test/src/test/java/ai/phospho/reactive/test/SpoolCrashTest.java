package ai.phospho.reactive.test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoStats;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A process killed with {@code kill -9} while it logs loses nothing that reached its spool: the
 * next process on the directory delivers it. Scaled down from the 100,000 tasks to 40,000
 * (killed once at least 20,000 are spooled) to keep the build within minutes on a small machine.
 */
class SpoolCrashTest {

	private static final int TOTAL = 40_000;
	private static final int KILL_AFTER = 20_000;
	private static final int BATCH = 500;

	@Test
	void everyTaskTheKilledProcessSpooledIsDeliveredByTheNextWithFewDuplicates(@TempDir Path dir) throws Exception {
		try (MockPhosphoServer server = MockPhosphoServer.start()) {
			// Slowed down: the child's spool holds a backlog when it is killed.
			server.delay(Duration.ofMillis(100));
			Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"-Xmx256m", "-cp", System.getProperty("java.class.path"), SpoolChild.class.getName(),
					dir.toString(), server.baseUrl(), String.valueOf(TOTAL), "5000")
					.redirectError(ProcessBuilder.Redirect.DISCARD).start();
			int spooled = 0;
			try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
					StandardCharsets.UTF_8))) {
				String line;
				while (spooled < KILL_AFTER && (line = out.readLine()) != null) {
					if (line.startsWith("SPOOLED ")) {
						spooled = Integer.parseInt(line.substring(8));
					}
					else if (line.equals("READY")) {
						// Two processes on one directory: the second is refused, naming it.
						assertThatThrownBy(() -> PhosphoClient.create(server.options().spool(dir).build()))
								.isInstanceOf(IllegalStateException.class)
								.hasMessageContaining(dir.toAbsolutePath().toString())
								.hasMessageContaining("is held by another client");
					}
				}
				// Killed mid-delivery: some batches delivered and acknowledged, one in flight.
				long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
				while (server.eventCount() < 3 * BATCH && System.nanoTime() < deadline) {
					Thread.sleep(5);
				}
				child.destroyForcibly();
				assertThat(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
			}
			assertThat(spooled).isGreaterThanOrEqualTo(KILL_AFTER);
			long beforeRestart = server.eventCount();
			assertThat(beforeRestart).isGreaterThanOrEqualTo(3 * BATCH);

			server.delay(Duration.ZERO);
			PhosphoClient next = PhosphoClient.create(server.options().spool(dir).maxBatchSize(BATCH).build());
			long recovered = next.stats().queued();
			next.flush().block(Duration.ofSeconds(120));
			PhosphoStats stats = next.stats();
			next.shutdown().block(Duration.ofSeconds(30));

			Map<String, Integer> seen = new HashMap<>();
			for (Map<String, @Nullable Object> e : server.events()) {
				seen.merge(String.valueOf(e.get("task_id")), 1, Integer::sum);
			}
			for (int i = 0; i < spooled; i++) {
				assertThat(seen).as("t-" + i + " was spooled").containsKey("t-" + i);
			}
			long duplicates = server.events().size() - seen.size();
			System.out.printf("kill -9: %d spooled, %d delivered before the kill, %d recovered, %d duplicates%n",
					spooled, beforeRestart, recovered, duplicates);
			// Only the batch being delivered when the child died can arrive twice.
			assertThat(duplicates).isLessThanOrEqualTo(BATCH);
			// What the next process exported is what reached the server after the restart; the queue read
			// just after create may already miss a batch its delivery took (seen under load: 38,500 of 39,000).
			assertThat(stats.exported()).isEqualTo(server.eventCount() - beforeRestart).isGreaterThanOrEqualTo(recovered);
			assertThat(stats.queued() + stats.dropped() + stats.failed()).isZero();
			assertThat(List.copyOf(seen.keySet())).hasSizeGreaterThanOrEqualTo(spooled);
		}
	}
}

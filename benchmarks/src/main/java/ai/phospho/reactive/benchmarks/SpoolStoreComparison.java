package ai.phospho.reactive.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import ai.phospho.reactive.internal.SpoolLog;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * The disk spool's store, chosen by measurement (issue 16): the same workload on the segment log the
 * library uses ({@link SpoolLog}), SQLite (sqlite-jdbc, WAL, {@code synchronous=FULL}) and H2's
 * MVStore ({@code commit} then {@code sync}). {@link #TASKS} events of the export benchmark (919
 * bytes each, raw values included) appended in batches of {@link #BATCH}, each batch made durable at once (one
 * {@code fsync}, as the spool does); then read back oldest first, batch by batch, each batch removed
 * durably (as an acknowledgement is); then the store is shrunk back to a small file, as the spool
 * must be once drained (the segment log has nothing to do: drained segments are deleted; SQLite:
 * {@code VACUUM} and a truncating WAL checkpoint; MVStore: {@code compactFile}). Each store runs {@link #ROUNDS} times, in turn, in one JVM.
 * Figures: mean and standard deviation of the append and drain times, the bytes on disk when full
 * and once drained.
 */
public final class SpoolStoreComparison {

	static final int TASKS = 100_000;
	static final int BATCH = 512;
	static final int ROUNDS = 6;

	interface Store extends AutoCloseable {
		void append(List<byte[]> batch) throws Exception;

		/** Reads, then durably removes, the oldest batch; how many events it held. */
		int drainBatch() throws Exception;

		/** Gives the space of what was drained back to the file system. */
		default void shrink() throws Exception {
		}
	}

	public static void main(String[] args) throws Exception {
		byte[] event = ExportBenchmark.batchBody(1);
		// One event, without the {"batched_log_events":[ ]} around it.
		String json = new String(event, StandardCharsets.UTF_8);
		byte[] one = json.substring(json.indexOf('[') + 1, json.lastIndexOf(']')).getBytes(StandardCharsets.UTF_8);
		Map<String, List<double[]>> runs = new LinkedHashMap<>();
		for (int round = 0; round < ROUNDS; round++) {
			for (String name : List.of("segment log", "SQLite WAL", "H2 MVStore")) {
				Path dir = Files.createTempDirectory("spool-store");
				try {
					double[] r = run(name, dir, one);
					// The first round warms the JIT: not counted.
					if (round > 0) {
						runs.computeIfAbsent(name, k -> new ArrayList<>()).add(r);
					}
				}
				finally {
					LogBenchmark.deleteTree(dir);
				}
			}
		}
		System.out.printf("%d events of %d bytes, batches of %d, %d rounds after one warm-up%n", TASKS, one.length,
				BATCH, ROUNDS - 1);
		System.out.println("| store | append, fsync per batch (ms) | drain, durable delete per batch (ms) "
				+ "| shrink (ms) | on disk full (MiB) | drained (MiB) | shrunk (KiB) |");
		System.out.println("|---|---|---|---|---|---|---|");
		for (Map.Entry<String, List<double[]>> e : runs.entrySet()) {
			double[] first = e.getValue().get(0);
			System.out.printf("| %s | %s | %s | %s | %.1f | %.1f | %.0f |%n", e.getKey(), stat(e.getValue(), 0),
					stat(e.getValue(), 1), stat(e.getValue(), 4), first[2] / (1 << 20), first[3] / (1 << 20),
					first[5] / 1024);
		}
	}

	private static double[] run(String name, Path dir, byte[] event) throws Exception {
		try (Store store = open(name, dir)) {
			List<byte[]> batch = new ArrayList<>(BATCH);
			for (int i = 0; i < BATCH; i++) {
				batch.add(event);
			}
			long t0 = System.nanoTime();
			for (int n = 0; n < TASKS; n += BATCH) {
				store.append(n + BATCH <= TASKS ? batch : batch.subList(0, TASKS - n));
			}
			long t1 = System.nanoTime();
			long full = bytes(dir);
			int drained = 0;
			int n;
			while ((n = store.drainBatch()) > 0) {
				drained += n;
			}
			long t2 = System.nanoTime();
			if (drained != TASKS) {
				throw new IllegalStateException(name + " drained " + drained);
			}
			long drainedBytes = bytes(dir);
			store.shrink();
			long t3 = System.nanoTime();
			return new double[] {(t1 - t0) / 1e6, (t2 - t1) / 1e6, full, drainedBytes, (t3 - t2) / 1e6, bytes(dir)};
		}
	}

	private static Store open(String name, Path dir) throws Exception {
		return switch (name) {
			case "segment log" -> new Segments(dir);
			case "SQLite WAL" -> new Sqlite(dir);
			default -> new MvStore(dir);
		};
	}

	private static String stat(List<double[]> runs, int i) {
		double mean = runs.stream().mapToDouble(r -> r[i]).average().orElse(0);
		double var = runs.stream().mapToDouble(r -> (r[i] - mean) * (r[i] - mean)).sum() / Math.max(1, runs.size() - 1);
		return String.format("%.0f ± %.0f", mean, Math.sqrt(var));
	}

	private static long bytes(Path dir) throws IOException {
		try (Stream<Path> s = Files.walk(dir)) {
			return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
		}
	}

	static final class Segments implements Store {
		final SpoolLog log;

		Segments(Path dir) {
			log = ai.phospho.reactive.internal.SpoolDirectory.open(dir, 1L << 30);
		}

		@Override
		public void append(List<byte[]> batch) throws IOException {
			log.append(batch);
		}

		@Override
		public int drainBatch() throws IOException {
			SpoolLog.Read r = log.read(BATCH, Long.MAX_VALUE);
			if (r == null) {
				return 0;
			}
			log.ack(r, r.events().size());
			return r.events().size();
		}

		@Override
		public void close() {
			log.close();
		}
	}

	static final class Sqlite implements Store {
		final Connection c;
		long seq;

		Sqlite(Path dir) throws SQLException {
			c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("spool.db"));
			try (Statement s = c.createStatement()) {
				s.execute("PRAGMA journal_mode=WAL");
				// FULL: each commit is synced, as the spool's group commit is; NORMAL could lose the last ones.
				s.execute("PRAGMA synchronous=FULL");
				s.execute("CREATE TABLE spool (seq INTEGER PRIMARY KEY, event BLOB NOT NULL)");
			}
			c.setAutoCommit(false);
		}

		@Override
		public void append(List<byte[]> batch) throws SQLException {
			try (PreparedStatement p = c.prepareStatement("INSERT INTO spool (seq, event) VALUES (?, ?)")) {
				for (byte[] e : batch) {
					p.setLong(1, ++seq);
					p.setBytes(2, e);
					p.addBatch();
				}
				p.executeBatch();
			}
			c.commit();
		}

		@Override
		public int drainBatch() throws SQLException {
			long last = -1;
			int n = 0;
			try (PreparedStatement p = c.prepareStatement("SELECT seq, event FROM spool ORDER BY seq LIMIT ?")) {
				p.setInt(1, BATCH);
				try (ResultSet rs = p.executeQuery()) {
					while (rs.next()) {
						last = rs.getLong(1);
						rs.getBytes(2);
						n++;
					}
				}
			}
			if (n > 0) {
				try (PreparedStatement d = c.prepareStatement("DELETE FROM spool WHERE seq <= ?")) {
					d.setLong(1, last);
					d.executeUpdate();
				}
			}
			c.commit();
			return n;
		}

		@Override
		public void shrink() throws SQLException {
			c.setAutoCommit(true);
			try (Statement s = c.createStatement()) {
				s.execute("VACUUM");
				s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
			}
		}

		@Override
		public void close() throws SQLException {
			c.close();
		}
	}

	static final class MvStore implements Store {
		final MVStore store;
		final MVMap<Long, byte[]> map;
		long seq;

		MvStore(Path dir) {
			store = new MVStore.Builder().fileName(dir.resolve("spool.mv").toString()).autoCommitDisabled().open();
			map = store.openMap("spool");
		}

		@Override
		public void append(List<byte[]> batch) {
			for (byte[] e : batch) {
				map.put(++seq, e);
			}
			store.commit();
			store.sync();
		}

		@Override
		public int drainBatch() {
			List<Long> keys = new ArrayList<>(BATCH);
			var it = map.keyIterator(map.isEmpty() ? null : map.firstKey());
			while (it.hasNext() && keys.size() < BATCH) {
				Long k = it.next();
				map.get(k);
				keys.add(k);
			}
			for (Long k : keys) {
				map.remove(k);
			}
			store.commit();
			store.sync();
			return keys.size();
		}

		@Override
		public void shrink() {
			store.compactFile(10_000);
		}

		@Override
		public void close() {
			store.close();
		}
	}
}

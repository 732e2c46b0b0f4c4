package ai.phospho.reactive.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.jspecify.annotations.Nullable;

/**
 * Where a {@link SpoolLog} is opened: the directory created if need be, and held with an OS file
 * lock for as long as the log is open, or a clear error naming it. Internal: not public API.
 */
public final class SpoolDirectory {

	private SpoolDirectory() {
	}

	/**
	 * Opens (creating it if need be) and locks the spool in {@code dir}, and scans what an earlier
	 * process left there.
	 *
	 * @throws IllegalStateException naming the directory and the cause when it cannot be used
	 */
	public static SpoolLog open(Path dir, long maxBytes) {
		Path lockFile = dir.resolve("lock");
		FileChannel ch = null;
		try {
			Files.createDirectories(dir);
			ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
			FileLock l;
			try {
				l = ch.tryLock();
			}
			catch (OverlappingFileLockException e) {
				l = null;
			}
			if (l == null) {
				throw new IllegalStateException("phospho: the spool directory " + dir.toAbsolutePath()
						+ " is held by another client (a lock on " + lockFile.getFileName() + "); each client needs "
						+ "a spool directory of its own");
			}
			return new SpoolLog(dir, maxBytes, ch, l);
		}
		catch (IOException | RuntimeException e) {
			closeQuietly(ch);
			if (e instanceof IllegalStateException ise) {
				throw ise;
			}
			throw new IllegalStateException("phospho: the spool directory " + dir.toAbsolutePath()
					+ " cannot be used: " + Failures.describe(e), e);
		}
	}

	static void closeQuietly(@Nullable FileChannel ch) {
		if (ch != null) {
			try {
				ch.close();
			}
			catch (IOException ignored) {
				// Nothing more to release.
			}
		}
	}
}

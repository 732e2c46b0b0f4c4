package ai.phospho.reactive.internal;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;
import reactor.util.Logger;

/**
 * Writes phospho's warnings off the thread that has something to say. Internal: not public API.
 *
 * <p>A logging backend may block (a console lock, a file append, a synchronous appender), and a
 * warning can arise on an event loop, a caller's {@code parallel()} thread or the export worker,
 * where blocking is not allowed. So a report is queued (lock-free, bounded to
 * {@value #MAX_PENDING} lines: beyond that reports are counted and dropped) and written, in order,
 * by one daemon thread, {@code phospho-reports}, started at the first report. A logger that
 * throws costs that line only.
 *
 * <p>Messages are formatted by the writer, as the backend would ({@code {}} placeholders), so
 * the reporting thread does not pay for the text; arguments must therefore be immutable values.
 */
public final class Reports {

	/** Lines that may wait for the writer. */
	static final int MAX_PENDING = 1024;

	enum Level {
		DEBUG, WARN, ERROR
	}

	private record Report(Logger logger, Level level, String format, Object[] args) {
	}

	private static final Queue<Report> PENDING = new ConcurrentLinkedQueue<>();
	private static final AtomicInteger SIZE = new AtomicInteger();
	private static final AtomicLong LOST = new AtomicLong();
	/** Reports taken by the writer and not yet written; lets tests wait until everything is out. */
	private static final AtomicInteger WRITING = new AtomicInteger();
	private static volatile @Nullable Thread writer;

	private Reports() {
	}

	public static void debug(Logger logger, String format, @Nullable Object... args) {
		offer(new Report(logger, Level.DEBUG, format, args));
	}

	public static void warn(Logger logger, String format, @Nullable Object... args) {
		offer(new Report(logger, Level.WARN, format, args));
	}

	public static void error(Logger logger, String format, @Nullable Object... args) {
		offer(new Report(logger, Level.ERROR, format, args));
	}

	/** Reports lost because {@value #MAX_PENDING} were already waiting. */
	public static long lost() {
		return LOST.get();
	}

	/**
	 * Waits until every report made before the call has been written, for at most {@code timeout};
	 * for tests and for a JVM shutdown hook, never for a non-blocking thread.
	 *
	 * @return whether everything was written in time
	 */
	public static boolean awaitWritten(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (SIZE.get() > 0 || WRITING.get() > 0) {
			if (System.nanoTime() - deadline >= 0) {
				return false;
			}
			LockSupport.parkNanos(1_000_000);
		}
		return true;
	}

	private static void offer(Report r) {
		for (;;) {
			int n = SIZE.get();
			if (n >= MAX_PENDING) {
				LOST.incrementAndGet();
				return;
			}
			if (SIZE.compareAndSet(n, n + 1)) {
				break;
			}
		}
		PENDING.offer(r);
		Thread w = writer;
		if (w == null) {
			w = startWriter();
		}
		LockSupport.unpark(w);
	}

	private static synchronized Thread startWriter() {
		Thread w = writer;
		if (w == null) {
			w = new Thread(Reports::writeLoop, "phospho-reports");
			w.setDaemon(true);
			w.start();
			writer = w;
		}
		return w;
	}

	private static void writeLoop() {
		for (;;) {
			Report r = PENDING.poll();
			if (r == null) {
				LockSupport.park(Reports.class);
				continue;
			}
			WRITING.incrementAndGet();
			SIZE.decrementAndGet();
			try {
				write(r);
			}
			catch (Throwable t) {
				// A backend that throws (a full disk, a broken appender, even an OutOfMemoryError)
				// loses this line, not the writer.
			}
			finally {
				WRITING.decrementAndGet();
			}
		}
	}

	private static void write(Report r) {
		switch (r.level) {
			case DEBUG -> {
				if (r.logger.isDebugEnabled()) {
					r.logger.debug(r.format, r.args);
				}
			}
			case WARN -> r.logger.warn(r.format, r.args);
			case ERROR -> r.logger.error(r.format, r.args);
		}
	}
}

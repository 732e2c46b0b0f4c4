package ai.phospho.reactive.test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import ai.phospho.reactive.internal.Reports;

/**
 * Captures every log line of the JVM while open, at every level, as text (message and stack trace).
 * Reactor's {@code Loggers} write to java.util.logging in these tests: the surefire configuration
 * sets {@code reactor.logging.fallback=JDK}.
 */
final class LogCapture extends Handler implements AutoCloseable {

	private final Logger root = Logger.getLogger("");
	private final Level previous;
	private final List<String> lines = new ArrayList<>();

	LogCapture() {
		previous = root.getLevel();
		root.setLevel(Level.ALL);
		setLevel(Level.ALL);
		root.addHandler(this);
	}

	@Override
	public synchronized void publish(LogRecord record) {
		StringBuilder line = new StringBuilder(record.getLevel().getName()).append(' ')
				.append(record.getLoggerName()).append(": ").append(record.getMessage());
		if (record.getParameters() != null) {
			for (Object p : record.getParameters()) {
				line.append(" | ").append(p);
			}
		}
		if (record.getThrown() != null) {
			StringWriter trace = new StringWriter();
			record.getThrown().printStackTrace(new PrintWriter(trace));
			line.append('\n').append(trace);
		}
		lines.add(line.toString());
	}

	/** Every line captured so far, once phospho's reports made until now are written (they are written off the caller's thread). */
	List<String> lines() {
		Reports.awaitWritten(Duration.ofSeconds(5));
		synchronized (this) {
			return List.copyOf(lines);
		}
	}

	/** The lines of loggers under {@code ai.phospho} at this level; see {@link #lines()}. */
	List<String> phospho(Level level) {
		return lines().stream().filter(l -> l.startsWith(level.getName() + " ai.phospho")).toList();
	}

	@Override
	public void flush() {
	}

	@Override
	public void close() {
		root.removeHandler(this);
		root.setLevel(previous);
	}
}

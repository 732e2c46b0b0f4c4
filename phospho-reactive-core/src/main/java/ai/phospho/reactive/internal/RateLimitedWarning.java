package ai.phospho.reactive.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At most one warning per {@link #INTERVAL}, whichever thread asks first: a condition that repeats
 * (a full queue, a failing destination) is reported, not written once per task. Internal: not public
 * API.
 *
 * <pre>{@code
 * if (dropWarning.due()) {
 *     Reports.warn(LOG, "phospho: a task was dropped because {}", reason);
 * }
 * }</pre>
 *
 * <p>Lock-free and allocation-free, so the caller's hot path pays one clock read; the first call
 * is always due.
 */
public final class RateLimitedWarning {

	/** The least time between two warnings of one kind. */
	public static final Duration INTERVAL = Duration.ofSeconds(30);

	private final long intervalNanos;
	private final AtomicLong last;

	public RateLimitedWarning() {
		this(INTERVAL);
	}

	RateLimitedWarning(Duration interval) {
		this.intervalNanos = interval.toNanos();
		this.last = new AtomicLong(System.nanoTime() - intervalNanos);
	}

	/** Whether the caller is to write the warning now: {@code true} for one caller at most once per interval. */
	public boolean due() {
		long now = System.nanoTime();
		long prev = last.get();
		return now - prev >= intervalNanos && last.compareAndSet(prev, now);
	}
}

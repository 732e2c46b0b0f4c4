package ai.phospho.reactive.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;

import ai.phospho.reactive.export.PhosphoExportException;
import org.jspecify.annotations.Nullable;

/**
 * The retry rules of {@link PhosphoApi}: which failures are transient, how long to wait
 * (exponential backoff with full jitter, or the server's {@code Retry-After}), and the HTTP status
 * errors that carry a {@code Retry-After}.
 */
final class HttpRetry {

	/**
	 * The longest {@code Retry-After} taken as asked: longer than any {@code maxRetryDuration}, so such
	 * a wait fails the batch at once, and far from where {@code toNanos()} overflows.
	 */
	static final Duration MAX_RETRY_AFTER = Duration.ofDays(365);

	private final long initialNanos;
	private final long maxNanos;

	HttpRetry(Duration initialBackoff, Duration maxBackoff) {
		this.initialNanos = initialBackoff.toNanos();
		this.maxNanos = maxBackoff.toNanos();
	}

	/**
	 * The wait before retry number {@code retry} (1 for the first): the server's {@code Retry-After}
	 * when it gave one, else a random time in {@code [0, min(max, initial * 2^(retry-1))]}.
	 */
	Duration delay(long retry, @Nullable Duration retryAfter) {
		if (retryAfter != null) {
			return retryAfter;
		}
		long ceiling = initialNanos;
		for (long i = 1; i < retry && ceiling < maxNanos; i++) {
			ceiling *= 2;
		}
		ceiling = Math.min(ceiling, maxNanos);
		return Duration.ofNanos(ThreadLocalRandom.current().nextLong(ceiling + 1));
	}

	/** Connection refused or reset, timeouts, 408, 429 and 5xx are worth another attempt. */
	static boolean isTransient(Throwable e) {
		if (e instanceof StatusException s) {
			int code = s.status();
			return code == 408 || code == 429 || code >= 500;
		}
		if (e instanceof SSLHandshakeException) {
			// A certificate that is refused now will be refused again.
			return false;
		}
		return e instanceof IOException || e instanceof TimeoutException
				|| e instanceof io.netty.handler.timeout.TimeoutException
				|| e instanceof io.netty.channel.ConnectTimeoutException;
	}

	/**
	 * Parses a {@code Retry-After} value: delta seconds or an HTTP date (RFC 9110); {@code null} when
	 * absent or unreadable. A date in the past means no wait.
	 */
	static @Nullable Duration parseRetryAfter(@Nullable String value, long nowEpochMillis) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String v = value.trim();
		try {
			long seconds = Long.parseLong(v);
			return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, MAX_RETRY_AFTER.toSeconds()));
		}
		catch (NumberFormatException notSeconds) {
			// an HTTP date, below
		}
		try {
			long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
			return Duration.ofMillis(Math.min(Math.max(0, at - nowEpochMillis), MAX_RETRY_AFTER.toMillis()));
		}
		catch (DateTimeParseException e) {
			return null;
		}
	}

	/**
	 * A reply with a status the API client did not accept, or retries spent (status 0); its message
	 * never holds the key. The only way this library makes a {@link PhosphoExportException}.
	 */
	static final class StatusException extends PhosphoExportException {

		private static final long serialVersionUID = 1L;

		private final transient @Nullable Duration retryAfter;

		StatusException(int status, String message, @Nullable Duration retryAfter) {
			super(status, message);
			this.retryAfter = retryAfter;
		}

		StatusException(String message, Throwable cause) {
			super(message, cause);
			this.retryAfter = null;
		}

		@Nullable Duration retryAfter() {
			return retryAfter;
		}

		/** Shown as its public type: this subclass is an implementation detail. */
		@Override
		public String toString() {
			return PhosphoExportException.class.getName() + ": " + getMessage();
		}
	}
}

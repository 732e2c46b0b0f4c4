package ai.phospho.reactive.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HttpRetryTest {

	private static HttpRetry.StatusException status(int code) {
		return new HttpRetry.StatusException(code, "replied " + code, null);
	}

	@Test
	void transientFailuresAreConnectionErrorsTimeoutsAnd408And429And5xx() {
		assertThat(HttpRetry.isTransient(new ConnectException("Connection refused"))).isTrue();
		assertThat(HttpRetry.isTransient(new IOException("Connection reset by peer"))).isTrue();
		assertThat(HttpRetry.isTransient(new TimeoutException())).isTrue();
		assertThat(HttpRetry.isTransient(io.netty.handler.timeout.ReadTimeoutException.INSTANCE)).isTrue();
		for (int code : new int[] { 408, 429, 500, 502, 503, 504 }) {
			assertThat(HttpRetry.isTransient(status(code))).as("status %d", code).isTrue();
		}
		for (int code : new int[] { 400, 401, 403, 404, 413, 422 }) {
			assertThat(HttpRetry.isTransient(status(code))).as("status %d", code).isFalse();
		}
		assertThat(HttpRetry.isTransient(new IllegalStateException("bug"))).isFalse();
	}

	@Test
	void backoffIsFullJitterUnderADoublingCeilingCappedAtTheMaximum() {
		HttpRetry retry = new HttpRetry(Duration.ofMillis(500), Duration.ofSeconds(60));
		long max1 = 0;
		long max4 = 0;
		long max20 = 0;
		for (int i = 0; i < 2_000; i++) {
			max1 = Math.max(max1, retry.delay(1, null).toMillis());
			max4 = Math.max(max4, retry.delay(4, null).toMillis());
			max20 = Math.max(max20, retry.delay(20, null).toMillis());
			assertThat(retry.delay(1, null)).isBetween(Duration.ZERO, Duration.ofMillis(500));
			assertThat(retry.delay(4, null)).isBetween(Duration.ZERO, Duration.ofMillis(4_000));
			assertThat(retry.delay(80, null)).isBetween(Duration.ZERO, Duration.ofSeconds(60));
		}
		// Full jitter spreads over the whole range, up to the ceiling.
		assertThat(max1).isGreaterThan(400);
		assertThat(max4).isGreaterThan(3_000);
		assertThat(max20).isGreaterThan(50_000);
	}

	@Test
	void retryAfterReplacesTheBackoff() {
		HttpRetry retry = new HttpRetry(Duration.ofMillis(10), Duration.ofMillis(20));
		assertThat(retry.delay(1, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
		long now = ZonedDateTime.of(2026, 11, 25, 12, 0, 0, 0, ZoneOffset.UTC).toInstant().toEpochMilli();
		String in90s = DateTimeFormatter.RFC_1123_DATE_TIME.format(
				ZonedDateTime.of(2026, 11, 25, 12, 1, 30, 0, ZoneOffset.UTC));

		assertThat(HttpRetry.parseRetryAfter("1", now)).isEqualTo(Duration.ofSeconds(1));
		assertThat(HttpRetry.parseRetryAfter(" 120 ", now)).isEqualTo(Duration.ofSeconds(120));
		assertThat(HttpRetry.parseRetryAfter(in90s, now)).isEqualTo(Duration.ofSeconds(90));
		assertThat(HttpRetry.parseRetryAfter("Wed, 25 Nov 2026 11:00:00 GMT", now)).isEqualTo(Duration.ZERO);
		assertThat(HttpRetry.parseRetryAfter("soon", now)).isNull();
		assertThat(HttpRetry.parseRetryAfter("-5", now)).isNull();
		assertThat(HttpRetry.parseRetryAfter(null, now)).isNull();
	}

	@Test
	void aRetryAfterOfCenturiesIsCappedSoThatItCannotOverflow() {
		assertThat(HttpRetry.parseRetryAfter("99999999999999999", 0)).isEqualTo(Duration.ofDays(365));
		assertThat(HttpRetry.parseRetryAfter("Fri, 31 Dec 9999 23:59:59 GMT", 0)).isEqualTo(Duration.ofDays(365));
		assertThat(HttpRetry.parseRetryAfter("120", 0)).isEqualTo(Duration.ofSeconds(120));
	}

	@Test
	void loopbackHostsAreRecognisedWithoutAnyLookup() {
		assertThat(PhosphoApi.isLoopback("localhost")).isTrue();
		assertThat(PhosphoApi.isLoopback("127.0.0.1")).isTrue();
		assertThat(PhosphoApi.isLoopback("[::1]")).isTrue();
		assertThat(PhosphoApi.isLoopback("api.phospho.ai")).isFalse();
		assertThat(PhosphoApi.isLoopback("10.0.0.1")).isFalse();
	}
}

package ai.phospho.reactive.export;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.function.UnaryOperator;

import ai.phospho.reactive.PhosphoOptionsException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/** The settings of the HTTP exporter: defaults, limits, and the messages of {@code build()}. */
class PhosphoHttpExporterBuilderTest {

	static final String KEY = "phospho-secret-key-4242";

	private static PhosphoHttpExporterBuilder valid() {
		return PhosphoHttpExporter.builder().apiKey(KEY).projectId("p").baseUrl("http://127.0.0.1:9");
	}

	/** Refused with this message, the setting's name (the message's first word) as data, and no key. */
	private static void assertRefused(UnaryOperator<PhosphoHttpExporterBuilder> setup, String message) {
		assertThatExceptionOfType(PhosphoOptionsException.class).isThrownBy(() -> setup.apply(valid()).build())
				.withMessage(message)
				.satisfies(e -> assertThat(e.option()).isEqualTo(message.substring(0, message.indexOf(' '))));
	}

	private static String built(PhosphoHttpExporterBuilder b) {
		PhosphoHttpExporter exporter = b.build();
		try {
			return exporter.toString();
		}
		finally {
			exporter.shutdown().block(Duration.ofSeconds(5));
		}
	}

	@Test
	void defaultsAreTheDocumentedValues() {
		assertThat(built(PhosphoHttpExporter.builder().apiKey(KEY).projectId("p")))
				.isEqualTo("PhosphoHttpExporter{uri=https://api.phospho.ai/v2/log/p, connectTimeout=PT10S, "
						+ "responseTimeout=PT30S, gzip=false, initialBackoff=PT0.5S, maxBackoff=PT1M, "
						+ "maxRetryDuration=PT10M, maxConnections=4}");
	}

	@Test
	void toBuilderKeepsEverySetting() {
		PhosphoHttpExporter exporter = valid().gzip(true).connectTimeout(Duration.ofSeconds(1))
				.responseTimeout(Duration.ofSeconds(2)).initialBackoff(Duration.ofMillis(3))
				.maxBackoff(Duration.ofMillis(4)).maxRetryDuration(Duration.ofMillis(5)).maxConnections(6).build();
		try {
			assertThat(built(exporter.toBuilder())).isEqualTo(exporter.toString()).contains("gzip=true");
			assertThat(built(exporter.toBuilder().gzip(false))).contains("gzip=false");
		}
		finally {
			exporter.shutdown().block(Duration.ofSeconds(5));
		}
	}

	@Test
	void settingsAreValidatedWithTheFieldAndTheBadValue() {
		assertRefused(b -> b.connectTimeout(Duration.ZERO), "connectTimeout must be strictly positive, was PT0S");
		assertRefused(b -> b.responseTimeout(Duration.ofSeconds(-1)), "responseTimeout must be strictly positive, was PT-1S");
		assertRefused(b -> b.initialBackoff(Duration.ZERO), "initialBackoff must be strictly positive, was PT0S");
		assertRefused(b -> b.initialBackoff(Duration.ofSeconds(2)).maxBackoff(Duration.ofSeconds(1)),
				"maxBackoff must be at least initialBackoff (PT2S), was PT1S");
		assertRefused(b -> b.maxRetryDuration(Duration.ofMinutes(-1)), "maxRetryDuration must be non-negative, was PT-1M");
		assertRefused(b -> b.maxConnections(0), "maxConnections must be strictly positive, was 0");
		assertRefused(b -> b.baseUrl("ftp://api.phospho.ai"),
				"baseUrl must be an http or https URL, was 'ftp://api.phospho.ai'");
		assertRefused(b -> b.projectId(" "), "projectId must not be blank, was ' '");
	}

	@Test
	void aRelatedSettingIsNamedAsData() {
		assertThatExceptionOfType(PhosphoOptionsException.class)
				.isThrownBy(() -> valid().initialBackoff(Duration.ofSeconds(2)).maxBackoff(Duration.ofSeconds(1)).build())
				.satisfies(e -> assertThat(e.related()).containsExactly("initialBackoff"));
	}

	@Test
	void durationsBeyondTheirLimitAreRefusedBeforeTheyOverflow() {
		Duration forever = ChronoUnit.FOREVER.getDuration();
		String f = "PT2562047788015215H30M7.999999999S";
		assertRefused(b -> b.connectTimeout(forever), "connectTimeout must be at most PT5M, was " + f);
		assertRefused(b -> b.responseTimeout(Duration.ofDays(3650)), "responseTimeout must be at most PT10M, was PT87600H");
		assertRefused(b -> b.maxBackoff(forever), "maxBackoff must be at most PT1H, was " + f);
		assertRefused(b -> b.initialBackoff(forever).maxBackoff(forever), "maxBackoff must be at most PT1H, was " + f);
		assertRefused(b -> b.maxRetryDuration(forever), "maxRetryDuration must be at most PT168H, was " + f);
	}

	@Test
	void everyLimitItselfIsAccepted() {
		assertThat(built(valid()
				.connectTimeout(Duration.ofSeconds(PhosphoHttpExporter.LIMIT_CONNECT_TIMEOUT_SECONDS))
				.responseTimeout(Duration.ofSeconds(PhosphoHttpExporter.LIMIT_RESPONSE_TIMEOUT_SECONDS))
				.initialBackoff(Duration.ofSeconds(PhosphoHttpExporter.LIMIT_BACKOFF_SECONDS))
				.maxBackoff(Duration.ofSeconds(PhosphoHttpExporter.LIMIT_BACKOFF_SECONDS))
				.maxRetryDuration(Duration.ofHours(PhosphoHttpExporter.LIMIT_RETRY_HOURS))))
				.contains("connectTimeout=PT5M", "responseTimeout=PT10M", "maxBackoff=PT1H", "maxRetryDuration=PT168H");
	}

	@Test
	void keyAndProjectAreRequiredAndTheKeyIsNeverShown() {
		assertThatExceptionOfType(PhosphoOptionsException.class)
				.isThrownBy(() -> PhosphoHttpExporter.builder().projectId("p").build())
				.withMessage("apiKey must be set for the phospho API (PHOSPHO_API_KEY), was null");
		assertThatExceptionOfType(PhosphoOptionsException.class)
				.isThrownBy(() -> PhosphoHttpExporter.builder().apiKey(KEY).build())
				.withMessage("projectId must be set for the phospho API (PHOSPHO_PROJECT_ID), was null");
		assertThatExceptionOfType(PhosphoOptionsException.class)
				.isThrownBy(() -> PhosphoHttpExporter.builder().apiKey(KEY + "\n").projectId("p").build())
				.withMessage("apiKey must be printable ASCII without spaces or line breaks; its value is not shown");
		assertRefused(b -> b.baseUrl("https://x/?key=" + KEY),
				"baseUrl must not have a query or fragment: https://x/?key=<redacted>");
		assertThat(built(valid())).doesNotContain(KEY);
	}

	@Test
	void settersRefuseNullsNamingTheField() {
		assertThatNullPointerException().isThrownBy(() -> PhosphoHttpExporter.builder().baseUrl(null)).withMessage("baseUrl");
		assertThatNullPointerException().isThrownBy(() -> PhosphoHttpExporter.builder().responseTimeout(null))
				.withMessage("responseTimeout");
		assertThatNullPointerException().isThrownBy(() -> PhosphoHttpExporter.builder().httpClient(null))
				.withMessage("customizer");
	}
}

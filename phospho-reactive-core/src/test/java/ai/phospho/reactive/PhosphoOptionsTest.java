package ai.phospho.reactive;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import ai.phospho.reactive.export.PhosphoHttpExporter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class PhosphoOptionsTest {

	static final String KEY = "phospho-secret-key-4242";

	@Test
	void defaultsAreTheDocumentedValues() {
		PhosphoOptions o = PhosphoOptions.builder().build();

		assertThat(o.apiKey()).isNull();
		assertThat(o.projectId()).isNull();
		assertThat(o.baseUrl()).isEqualTo("https://api.phospho.ai");
		assertThat(o.environment()).isEqualTo("default environment");
		assertThat(o.exporter()).isNull();
		assertThat(o.maxQueueSize()).isEqualTo(2048);
		assertThat(o.maxBatchSize()).isEqualTo(512);
		assertThat(o.maxBatchBytes()).isEqualTo(4L * 1024 * 1024);
		assertThat(o.lingerDelay()).isEqualTo(Duration.ofMillis(500));
		assertThat(o.maxFieldChars()).isEqualTo(1_000_000);
		assertThat(o.maxConcurrentExports()).isEqualTo(2);
		assertThat(o.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(o.shutdownHook()).isTrue();
		assertThat(o.jsonLinesPath()).isEqualTo(Path.of("phospho-tasks.jsonl"));
	}

	@Test
	void theDefaultVersionIdIsOneDatedAdjectiveAnimalPerProcess() {
		String v = PhosphoOptions.builder().build().versionId();

		assertThat(v).matches("\\d{8}_[a-z]+-[a-z]+");
		assertThat(PhosphoOptions.builder().build().versionId()).isEqualTo(v);
		assertThat(PhosphoOptions.builder().versionId("v2").build().versionId()).isEqualTo("v2");
	}

	@Test
	void toBuilderKeepsEveryValue() {
		PhosphoOptions o = PhosphoOptions.builder().apiKey(KEY).projectId("p").baseUrl("http://127.0.0.1:1")
				.versionId("v").environment("env").maxQueueSize(3).maxBatchSize(2).maxBatchBytes(2048)
				.lingerDelay(Duration.ofMillis(7)).maxFieldChars(9).maxConcurrentExports(4)
				.shutdownTimeout(Duration.ofSeconds(1)).shutdownHook(false).jsonLinesPath(Path.of("x.jsonl")).build();

		assertThat(o.toBuilder().build().toString()).isEqualTo(o.toString());
		assertThat(o.toBuilder().build().apiKey()).isEqualTo(KEY);
	}

	/** Refused with this message, and the option's name (the message's first word) as data. */
	static void assertRefused(UnaryOperator<PhosphoOptionsBuilder> setup, String message) {
		assertThatExceptionOfType(PhosphoOptionsException.class)
				.isThrownBy(() -> setup.apply(PhosphoOptions.builder()).build())
				.withMessage(message)
				.satisfies(e -> assertThat(e.option()).isEqualTo(message.substring(0, message.indexOf(' '))))
				.satisfies(e -> assertThat(e.option() + " " + e.reason()).isEqualTo(message));
	}

	@Test
	void buildNamesTheBadFieldAndValue() {
		assertRefused(b -> b.apiKey("  "), "apiKey must not be blank");
		assertRefused(b -> b.projectId(" "), "projectId must not be blank, was ' '");
		assertRefused(b -> b.apiKey(KEY),
				"projectId must be set when apiKey is set (PHOSPHO_PROJECT_ID), was null");
		assertRefused(b -> b.baseUrl("ftp://api.phospho.ai"),
				"baseUrl must be an http or https URL, was 'ftp://api.phospho.ai'");
		assertRefused(b -> b.baseUrl("not a url"), "baseUrl must be an http or https URL, was 'not a url'");
		assertRefused(b -> b.baseUrl("api.phospho.ai"), "baseUrl must be an http or https URL, was 'api.phospho.ai'");
		assertRefused(b -> b.versionId(""), "versionId must not be blank, was ''");
		assertRefused(b -> b.maxQueueSize(0), "maxQueueSize must be strictly positive, was 0");
		assertRefused(b -> b.maxBatchSize(-1), "maxBatchSize must be strictly positive, was -1");
		assertRefused(b -> b.maxFieldChars(0), "maxFieldChars must be strictly positive, was 0");
		assertRefused(b -> b.maxConcurrentExports(0), "maxConcurrentExports must be strictly positive, was 0");
		assertRefused(b -> b.maxBatchBytes(1023), "maxBatchBytes must be at least 1024, was 1023");
		assertRefused(b -> b.lingerDelay(Duration.ZERO), "lingerDelay must be strictly positive, was PT0S");
		assertRefused(b -> b.lingerDelay(Duration.ofMillis(-5)), "lingerDelay must be strictly positive, was PT-0.005S");
		assertRefused(b -> b.shutdownTimeout(Duration.ofSeconds(-1)), "shutdownTimeout must be non-negative, was PT-1S");
	}

	@Test
	void aBaseUrlTheClientCannotAppendPathsToIsRefused() {
		assertRefused(b -> b.baseUrl("https://x/?a=b"), "baseUrl must not have a query or fragment: https://x/?a=b");
		assertRefused(b -> b.baseUrl("https://api.phospho.ai/base#eu"),
				"baseUrl must not have a query or fragment: https://api.phospho.ai/base#eu");
		assertRefused(b -> b.baseUrl("https://api.phospho.ai/?"), "baseUrl must not have a query or fragment: https://api.phospho.ai/?");
		assertRefused(b -> b.baseUrl("https://user:s3cret@api.phospho.ai"),
				"baseUrl must not have user info (the key goes in apiKey), was 'https://***@api.phospho.ai'");
		assertRefused(b -> b.baseUrl("http:///v2"), "baseUrl must be an http or https URL, was 'http:///v2'");
		assertRefused(b -> b.baseUrl("http://bad_host:80"), "baseUrl must be an http or https URL, was 'http://bad_host:80'");
		assertRefused(b -> b.baseUrl("file:/data/tasks"), "baseUrl must be an http or https URL, was 'file:/data/tasks'");
		assertRefused(b -> b.baseUrl("http://127.0.0.1:70000"),
				"baseUrl must have a port from 1 to 65535, was 'http://127.0.0.1:70000'");
		assertThat(PhosphoOptions.builder().baseUrl("https://proxy.example.org:8443/phospho/").build().baseUrl())
				.isEqualTo("https://proxy.example.org:8443/phospho/");
	}

	@Test
	void durationsAndSizesBeyondTheirLimitAreRefusedBeforeTheyOverflow() {
		Duration forever = java.time.temporal.ChronoUnit.FOREVER.getDuration();
		String f = "PT2562047788015215H30M7.999999999S";
		assertRefused(b -> b.lingerDelay(forever), "lingerDelay must be at most PT24H, was " + f);
		assertRefused(b -> b.shutdownTimeout(forever), "shutdownTimeout must be at most PT24H, was " + f);
		assertRefused(b -> b.maxBatchBytes(Long.MAX_VALUE),
				"maxBatchBytes must be at most 1073741824, was 9223372036854775807");
	}

	@Test
	void everyLimitItselfIsAccepted() {
		PhosphoOptions o = PhosphoOptions.builder()
				.lingerDelay(Duration.ofHours(PhosphoOptions.LIMIT_WAIT_HOURS))
				.shutdownTimeout(Duration.ofHours(PhosphoOptions.LIMIT_WAIT_HOURS))
				.maxBatchBytes(PhosphoOptions.LIMIT_BATCH_BYTES)
				.build();

		assertThat(o.lingerDelay()).isEqualTo(Duration.ofDays(1));
		assertThat(o.maxBatchBytes()).isEqualTo(1024L * 1024 * 1024);
	}

	@Test
	void anApiKeyThatCannotBeSentIsRefusedWithoutShowingIt() {
		for (String bad : List.of(KEY + "\n", "sk " + KEY, KEY + "\u00e9", "\t" + KEY)) {
			assertThatIllegalArgumentException()
					.isThrownBy(() -> PhosphoOptions.builder().apiKey(bad).projectId("p").build())
					.withMessage("apiKey must be printable ASCII without spaces or line breaks; its value is not shown");
		}
		assertRefused(b -> b.apiKey(KEY).projectId("p").baseUrl("https://x/?key=" + KEY),
				"baseUrl must not have a query or fragment: https://x/?key=<redacted>");
	}

	@Test
	void aReasonThatNamesAnotherOptionCarriesItsNameAsData() {
		assertThatExceptionOfType(PhosphoOptionsException.class)
				.isThrownBy(() -> PhosphoOptions.builder().apiKey(KEY).build())
				.satisfies(e -> {
					assertThat(e.option()).isEqualTo("projectId");
					assertThat(e.reason()).isEqualTo("must be set when apiKey is set (PHOSPHO_PROJECT_ID), was null");
					assertThat(e.related()).containsExactly("apiKey");
				});
		assertThatExceptionOfType(PhosphoOptionsException.class)
				.isThrownBy(() -> PhosphoOptions.builder().maxQueueSize(0).build())
				.satisfies(e -> assertThat(e.related()).isEmpty());
	}

	@Test
	void theHttpExporterCustomisersComposeInOrderOnTheDefaultExporter() {
		PhosphoClient client = PhosphoClient.create(PhosphoOptions.builder().apiKey(KEY).projectId("p")
				.baseUrl("http://127.0.0.1:9").shutdownHook(false).maxConcurrentExports(3)
				.httpExporter(http -> http.gzip(true).responseTimeout(Duration.ofSeconds(7)))
				.httpExporter(http -> http.responseTimeout(Duration.ofSeconds(8)))
				.build());
		try {
			assertThat(client.exporter()).isInstanceOf(PhosphoHttpExporter.class);
			assertThat(client.exporter().toString())
					.isEqualTo("PhosphoHttpExporter{uri=http://127.0.0.1:9/v2/log/p, connectTimeout=PT10S, "
							+ "responseTimeout=PT8S, gzip=true, initialBackoff=PT0.5S, maxBackoff=PT1M, "
							+ "maxRetryDuration=PT10M, maxConnections=6}");
			assertThat(client.options().toString()).contains(", httpExporter=customised,");
			assertThat(client.options().toBuilder().build().httpExporter()).isSameAs(client.options().httpExporter());
		}
		finally {
			client.shutdown().block(Duration.ofSeconds(5));
		}
	}

	@Test
	void anInvalidHttpSettingFailsTheClientNamingTheSetting() {
		PhosphoOptions options = PhosphoOptions.builder().apiKey(KEY).projectId("p").shutdownHook(false)
				.httpExporter(http -> http.connectTimeout(Duration.ZERO)).build();

		assertThatExceptionOfType(PhosphoOptionsException.class).isThrownBy(() -> PhosphoClient.create(options))
				.withMessage("connectTimeout must be strictly positive, was PT0S")
				.satisfies(e -> assertThat(e.option()).isEqualTo("connectTimeout"));
	}

	@Test
	void aCustomiserThatReturnsNullIsNamed() {
		PhosphoOptions options = PhosphoOptions.builder().apiKey(KEY).projectId("p").shutdownHook(false)
				.httpExporter(http -> null).build();

		assertThatNullPointerException().isThrownBy(() -> PhosphoClient.create(options))
				.withMessage("the httpExporter customiser returned null");
	}

	@Test
	void theMissingProjectMessageDoesNotShowTheKey() {
		assertThatIllegalArgumentException()
				.isThrownBy(() -> PhosphoOptions.builder().apiKey(KEY).build())
				.satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY));
	}

	@Test
	void anApiKeyWithACustomExporterNeedsNoProject() {
		PhosphoOptions o = PhosphoOptions.builder().apiKey(KEY).exporter(RecordingExporter.immediate()).build();

		assertThat(o.projectId()).isNull();
	}

	@Test
	void settersRefuseNullsNamingTheField() {
		assertThatNullPointerException().isThrownBy(() -> PhosphoOptions.builder().baseUrl(null)).withMessage("baseUrl");
		assertThatNullPointerException().isThrownBy(() -> PhosphoOptions.builder().lingerDelay(null))
				.withMessage("lingerDelay");
		assertThatNullPointerException().isThrownBy(() -> PhosphoOptions.builder().jsonLinesPath(null))
				.withMessage("jsonLinesPath");
	}

	@Test
	void theEnvironmentGivesKeyProjectAndBaseUrl() {
		PhosphoOptions o = PhosphoOptions.fromEnvironment(Map.of("PHOSPHO_API_KEY", KEY,
				"PHOSPHO_PROJECT_ID", "my-project", "PHOSPHO_BASE_URL", "http://127.0.0.1:8080")).build();

		assertThat(o.apiKey()).isEqualTo(KEY);
		assertThat(o.projectId()).isEqualTo("my-project");
		assertThat(o.baseUrl()).isEqualTo("http://127.0.0.1:8080");
	}

	@Test
	void blankEnvironmentVariablesCountAsAbsent() {
		PhosphoOptions o = PhosphoOptions.fromEnvironment(Map.of("PHOSPHO_API_KEY", "  ",
				"PHOSPHO_PROJECT_ID", "", "PHOSPHO_BASE_URL", "\t")).build();

		assertThat(o.apiKey()).isNull();
		assertThat(o.projectId()).isNull();
		assertThat(o.baseUrl()).isEqualTo(PhosphoOptions.DEFAULT_BASE_URL);
	}

	@Test
	void environmentValuesAreTrimmed() {
		PhosphoOptions o = PhosphoOptions.fromEnvironment(Map.of("PHOSPHO_API_KEY", " " + KEY + "\n",
				"PHOSPHO_PROJECT_ID", " p ")).build();

		assertThat(o.apiKey()).isEqualTo(KEY);
		assertThat(o.projectId()).isEqualTo("p");
	}

	@Test
	void anEmptyEnvironmentGivesTheDefaults() {
		PhosphoOptions o = PhosphoOptions.fromEnvironment(Map.of()).build();

		assertThat(o.apiKey()).isNull();
		assertThat(o.baseUrl()).isEqualTo(PhosphoOptions.DEFAULT_BASE_URL);
	}

	@Test
	void toStringNeverShowsTheKey() {
		PhosphoOptions o = PhosphoOptions.builder().apiKey(KEY).projectId("p").build();

		assertThat(o.toString()).doesNotContain(KEY).contains("<redacted>").contains("projectId=p");
		assertThat(o.toBuilder().build().toString()).doesNotContain(KEY);
		assertThat(PhosphoOptions.builder().build().toString()).contains("apiKey=none");
	}

	@Test
	void aClientsToStringNeverShowsTheKey() {
		PhosphoClient client = PhosphoClient.create(PhosphoOptions.builder().apiKey(KEY).projectId("p")
				.baseUrl("http://127.0.0.1:9").shutdownHook(false).build());
		try {
			assertThat(client.toString()).doesNotContain(KEY);
			assertThat(client.exporter()).isInstanceOf(PhosphoHttpExporter.class);
			assertThat(client.exporter().toString()).doesNotContain(KEY);
		}
		finally {
			client.shutdown().block(Duration.ofSeconds(5));
		}
	}
}

package ai.phospho.reactive;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
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

	static void assertRefused(UnaryOperator<PhosphoOptions.Builder> setup, String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> setup.apply(PhosphoOptions.builder()).build())
				.withMessage(message);
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

package ai.phospho.reactive.spring;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.Phospho;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.export.JsonLinesTaskExporter;
import ai.phospho.reactive.export.PhosphoHttpExporter;
import ai.phospho.reactive.export.TaskExporter;
import ai.phospho.reactive.test.InMemoryTaskExporter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** The auto-configuration on small contexts without a web server: binding, validation, back-off, lifecycle. */
class PhosphoAutoConfigurationTest {

	private static final String KEY = "sk-test-4f1c9a7e2b";

	@TempDir
	Path dir;

	private ApplicationContextRunner runner() {
		// Tasks never go to the working directory, whatever a test forgets to set.
		return new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(PhosphoAutoConfiguration.class))
				.withPropertyValues("phospho.json-lines.path=" + dir.resolve("default.jsonl"));
	}

	@Test
	void everyPropertyBindsIntoTheClientOptions() {
		Path file = dir.resolve("out/tasks.jsonl");
		runner().withPropertyValues(
				"phospho.api-key=" + KEY,
				"phospho.project-id=proj-1",
				"phospho.base-url=http://127.0.0.1:9",
				"phospho.version-id=v-42",
				"phospho.environment=staging",
				"phospho.max-queue-size=100",
				"phospho.max-batch-size=10",
				"phospho.max-batch-bytes=64KB",
				"phospho.linger-delay=250ms",
				"phospho.max-field-chars=5000",
				"phospho.max-concurrent-exports=3",
				"phospho.shutdown-timeout=3",
				"phospho.overflow-policy=drop-oldest").run(context -> {
					assertThat(context).hasNotFailed();
					PhosphoOptions o = context.getBean(PhosphoClient.class).options();
					assertThat(o.apiKey()).isEqualTo(KEY);
					assertThat(o.projectId()).isEqualTo("proj-1");
					assertThat(o.baseUrl()).isEqualTo("http://127.0.0.1:9");
					assertThat(o.versionId()).isEqualTo("v-42");
					assertThat(o.environment()).isEqualTo("staging");
					assertThat(o.maxQueueSize()).isEqualTo(100);
					assertThat(o.maxBatchSize()).isEqualTo(10);
					assertThat(o.maxBatchBytes()).isEqualTo(64 * 1024);
					assertThat(o.lingerDelay()).isEqualTo(Duration.ofMillis(250));
					assertThat(o.maxFieldChars()).isEqualTo(5000);
					assertThat(o.maxConcurrentExports()).isEqualTo(3);
					assertThat(o.shutdownTimeout()).as("a plain number is seconds").isEqualTo(Duration.ofSeconds(3));
					assertThat(o.overflowPolicy()).isEqualTo(PhosphoOptions.OverflowPolicy.DROP_OLDEST);
					assertThat(o.shutdownHook()).as("Spring owns the lifecycle").isFalse();
				});
	}

	@Test
	void theJsonLinesPropertiesSetTheFileOfTheDefaultExporter() {
		Path file = dir.resolve("out/tasks.jsonl");
		runner().withPropertyValues("phospho.json-lines.path=" + file).run(context -> {
			PhosphoClient client = context.getBean(PhosphoClient.class);
			assertThat(client.options().jsonLinesPath()).isEqualTo(file);
			assertThat(client.toString()).endsWith("exporter=JsonLinesTaskExporter{path=" + file + "}}");
		});
	}

	@Test
	void theHttpPropertiesSetTheExporterToThePhosphoApi() {
		runner().withPropertyValues("phospho.api-key=" + KEY, "phospho.project-id=p",
				"phospho.base-url=http://127.0.0.1:9",
				"phospho.http.connect-timeout=3",
				"phospho.http.response-timeout=4s",
				"phospho.http.gzip=true",
				"phospho.http.initial-backoff=50",
				"phospho.http.max-backoff=2",
				"phospho.http.max-retry-duration=1",
				"phospho.http.max-connections=7").run(context -> {
					assertThat(context).hasNotFailed();
					PhosphoClient client = context.getBean(PhosphoClient.class);
					assertThat(client.toString()).as("plain numbers in each setting's unit")
							.endsWith("exporter=PhosphoHttpExporter{uri=http://127.0.0.1:9/v2/log/p, connectTimeout=PT3S, "
									+ "responseTimeout=PT4S, gzip=true, initialBackoff=PT0.05S, maxBackoff=PT2S, "
									+ "maxRetryDuration=PT1M, maxConnections=7}}");
				});
	}

	@Test
	void theHttpDefaultsAreTheCoreDefaults() {
		runner().withPropertyValues("phospho.api-key=" + KEY, "phospho.project-id=p",
				"phospho.base-url=http://127.0.0.1:9", "phospho.max-concurrent-exports=3").run(context -> {
					PhosphoHttpExporter core = PhosphoHttpExporter.builder().apiKey(KEY).projectId("p")
							.baseUrl("http://127.0.0.1:9").maxConnections(6).build();
					try {
						assertThat(context.getBean(PhosphoClient.class).toString()).endsWith("exporter=" + core + "}");
					}
					finally {
						core.shutdown().block(Duration.ofSeconds(5));
					}
				});
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			phospho.http.connect-timeout=0      | phospho.http.connect-timeout | PT0S | must be strictly positive, was PT0S
			phospho.http.response-timeout=1h    | phospho.http.response-timeout | PT1H | must be at most PT10M, was PT1H
			phospho.http.initial-backoff=0      | phospho.http.initial-backoff | PT0S | must be strictly positive, was PT0S
			phospho.http.max-backoff=100ms      | phospho.http.max-backoff | PT0.1S | must be at least phospho.http.initial-backoff (PT0.5S), was PT0.1S
			phospho.http.max-retry-duration=-1  | phospho.http.max-retry-duration | PT-1M | must be non-negative, was PT-1M
			phospho.http.max-connections=0      | phospho.http.max-connections | 0 | must be strictly positive, was 0
			""")
	void anInvalidHttpValueFailsTheStartNamingThePropertyAndValue(String setting, String property, String value,
			String reason) {
		runner().withPropertyValues("phospho.api-key=" + KEY, "phospho.project-id=p",
				"phospho.base-url=http://127.0.0.1:9", setting).run(context -> {
					assertThat(context).hasFailed();
					InvalidConfigurationPropertyValueException e = invalid(context);
					assertThat(e.getName()).isEqualTo(property);
					assertThat(String.valueOf(e.getValue())).isEqualTo(value);
					assertThat(e.getReason()).isEqualTo(reason);
					assertThat(stackTraceOf(context.getStartupFailure())).doesNotContain(KEY);
				});
	}

	@Test
	void defaultsAreTheCoreDefaults() {
		runner().run(context -> {
			PhosphoOptions o = context.getBean(PhosphoClient.class).options();
			PhosphoOptions core = PhosphoOptions.builder().build();
			assertThat(o.apiKey()).isNull();
			assertThat(o.baseUrl()).isEqualTo(core.baseUrl());
			assertThat(o.environment()).isEqualTo(core.environment());
			assertThat(o.maxQueueSize()).isEqualTo(core.maxQueueSize());
			assertThat(o.maxBatchSize()).isEqualTo(core.maxBatchSize());
			assertThat(o.maxBatchBytes()).isEqualTo(core.maxBatchBytes());
			assertThat(o.lingerDelay()).isEqualTo(core.lingerDelay());
			assertThat(o.maxFieldChars()).isEqualTo(core.maxFieldChars());
			assertThat(o.maxConcurrentExports()).isEqualTo(core.maxConcurrentExports());
			assertThat(o.shutdownTimeout()).isEqualTo(core.shutdownTimeout());
			assertThat(o.overflowPolicy()).isEqualTo(core.overflowPolicy());
			assertThat(o.jsonLinesPath()).isEqualTo(dir.resolve("default.jsonl"));
		});
	}

	@Test
	void theSpoolPropertiesConfigureTheDiskSpool() {
		Path spool = dir.resolve("spool");
		runner().withPropertyValues("phospho.spool.dir=" + spool, "phospho.spool.max-bytes=64MB").run(context -> {
			assertThat(context).hasNotFailed();
			PhosphoOptions o = context.getBean(PhosphoClient.class).options();
			assertThat(o.spool()).isEqualTo(spool);
			assertThat(o.spoolMaxBytes()).isEqualTo(64L << 20);
		});
		runner().run(context -> assertThat(context.getBean(PhosphoClient.class).options().spool()).isNull());
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			phospho.max-queue-size=0           | phospho.max-queue-size | 0     | must be strictly positive, was 0
			phospho.max-batch-size=-1          | phospho.max-batch-size | -1    | must be strictly positive, was -1
			phospho.max-batch-bytes=100B       | phospho.max-batch-bytes | 100B | must be at least 1024, was 100
			phospho.linger-delay=0ms           | phospho.linger-delay   | PT0S  | must be strictly positive, was PT0S
			phospho.max-field-chars=0          | phospho.max-field-chars | 0    | must be strictly positive, was 0
			phospho.max-concurrent-exports=0   | phospho.max-concurrent-exports | 0 | must be strictly positive, was 0
			phospho.shutdown-timeout=-1s       | phospho.shutdown-timeout | PT-1S | must be non-negative, was PT-1S
			phospho.base-url=ftp://example.org | phospho.base-url | ftp://example.org | must be an http or https URL, was 'ftp://example.org'
			phospho.base-url=not a url         | phospho.base-url | not a url | must be an http or https URL, was 'not a url'
			phospho.base-url=https://x/?a=b    | phospho.base-url | https://x/?a=b | must not have a query or fragment: https://x/?a=b
			phospho.base-url=https://u:pw@x.org | phospho.base-url | https://***@x.org | must not have user info (the key goes in phospho.api-key), was 'https://***@x.org'
			phospho.linger-delay=200000d       | phospho.linger-delay | PT4800000H | must be at most PT24H, was PT4800000H
			phospho.shutdown-timeout=106751991167d | phospho.shutdown-timeout | PT2562047788008H | must be at most PT24H, was PT2562047788008H
			phospho.max-batch-bytes=2GB        | phospho.max-batch-bytes | 2147483648B | must be at most 1073741824, was 2147483648
			phospho.spool.max-bytes=1000B      | phospho.spool.max-bytes | 1000B | must be at least 1048576, was 1000
			""")
	void anInvalidValueFailsTheStartNamingThePropertyAndValue(String setting, String property, String value,
			String reason) {
		runner().withPropertyValues(setting).run(context -> {
			assertThat(context).hasFailed();
			InvalidConfigurationPropertyValueException e = invalid(context);
			assertThat(e.getName()).isEqualTo(property);
			assertThat(String.valueOf(e.getValue())).isEqualTo(value);
			assertThat(e.getReason()).isEqualTo(reason);
			assertThat(e.getMessage()).contains(property);
		});
	}

	@Test
	void aKeyWithoutProjectFailsNamingBothPropertiesWithoutShowingTheKey() {
		runner().withPropertyValues("phospho.api-key=" + KEY).run(context -> {
			InvalidConfigurationPropertyValueException e = invalid(context);
			assertThat(e.getName()).isEqualTo("phospho.project-id");
			assertThat(e.getReason()).startsWith("must be set when phospho.api-key is set");
			assertThat(context.getStartupFailure()).rootCause().isSameAs(e);
			assertThat(stackTraceOf(context.getStartupFailure())).doesNotContain(KEY);
		});
	}

	@Test
	void aValueOfTheWrongTypeFailsNamingTheProperty() {
		runner().withPropertyValues("phospho.max-queue-size=lots").run(context -> {
			assertThat(context).hasFailed();
			assertThat(stackTraceOf(context.getStartupFailure())).contains("phospho.max-queue-size");
		});
	}

	@Test
	void withoutAKeyTasksGoToTheJsonLinesFileThroughTheStaticApi() {
		Path file = dir.resolve("tasks.jsonl");
		runner().withPropertyValues("phospho.json-lines.path=" + file).run(context -> {
			PhosphoClient client = context.getBean(PhosphoClient.class);
			assertThat(client.toString()).contains("exporter=JsonLinesTaskExporter{");
			assertThat(Phospho.client()).as("installed for the static API").isSameAs(client);
			LoggedTask task = Phospho.log("What is the speed of light?", "299,792 km/s");
			Phospho.flush().block(Duration.ofSeconds(5));
			List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
			assertThat(lines).hasSize(1);
			assertThat(lines.get(0)).contains(task.taskId()).contains("299,792 km/s");
		});
	}

	@Test
	void aPhosphoClientOfTheApplicationMakesTheAutoConfigurationBackOff() {
		InMemoryTaskExporter exporter = new InMemoryTaskExporter();
		PhosphoClient own = PhosphoClient.create(PhosphoOptions.builder().exporter(exporter).shutdownHook(false).build());
		runner().withBean(PhosphoClient.class, () -> own).run(context -> {
			assertThat(context).getBean(PhosphoClient.class).isSameAs(own);
			assertThat(Phospho.client()).isSameAs(own);
			Phospho.log("in", "out");
		});
		assertThat(own.isShutdown()).as("closing the context flushed and shut it down").isTrue();
		assertThat(exporter.tasks()).extracting(LoggedTask::output).containsExactly("out");
	}

	@Test
	void aTaskExporterOfTheApplicationReceivesTheTasks() {
		InMemoryTaskExporter exporter = new InMemoryTaskExporter();
		runner().withPropertyValues("phospho.api-key=" + KEY)
				.withBean(TaskExporter.class, () -> exporter).run(context -> {
					PhosphoClient client = context.getBean(PhosphoClient.class);
					assertThat(client.options().exporter()).isSameAs(exporter);
					client.log("question", "answer");
					client.flush().block(Duration.ofSeconds(5));
					assertThat(exporter.tasks()).extracting(LoggedTask::output).containsExactly("answer");
				});
	}

	@Test
	void closingTheContextFlushesTheQueuedTasks() {
		InMemoryTaskExporter exporter = new InMemoryTaskExporter();
		PhosphoClient[] client = new PhosphoClient[1];
		// A long linger and a large batch: nothing is exported until the flush at close.
		runner().withPropertyValues("phospho.linger-delay=1h", "phospho.max-batch-size=100")
				.withBean(TaskExporter.class, () -> exporter).run(context -> {
					client[0] = context.getBean(PhosphoClient.class);
					for (int i = 0; i < 3; i++) {
						client[0].log("in " + i, "out " + i);
					}
					assertThat(client[0].stats().queued()).isEqualTo(3);
					assertThat(exporter.tasks()).isEmpty();
				});
		assertThat(client[0].isShutdown()).isTrue();
		assertThat(exporter.tasks()).extracting(LoggedTask::output).containsExactly("out 0", "out 1", "out 2");
	}

	@Test
	void disabledCreatesNoClient() {
		runner().withPropertyValues("phospho.enabled=false").run(context -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(PhosphoClient.class);
		});
	}

	@Test
	void withoutMicrometerAndActuatorOnTheClassPathOnlyTheClientIsCreated() {
		runner().withClassLoader(new FilteredClassLoader(MeterRegistry.class, SanitizingFunction.class))
				.run(context -> {
					assertThat(context).hasNotFailed().hasSingleBean(PhosphoClient.class)
							.doesNotHaveBean(PhosphoMeterBinder.class)
							.doesNotHaveBean("phosphoApiKeySanitizer");
				});
		runner().run(context -> assertThat(context).hasSingleBean(PhosphoMeterBinder.class)
				.hasBean("phosphoApiKeySanitizer"));
	}

	@Test
	void theMetersReportTheClientStats() {
		InMemoryTaskExporter exporter = new InMemoryTaskExporter();
		runner().withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class))
				.withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
				.withBean(TaskExporter.class, () -> exporter)
				.withPropertyValues("phospho.max-queue-size=2", "phospho.linger-delay=1h").run(context -> {
					MeterRegistry registry = context.getBean(MeterRegistry.class);
					PhosphoClient client = context.getBean(PhosphoClient.class);
					for (int i = 0; i < 3; i++) {
						client.log("in " + i, "out " + i);
					}
					assertThat(registry.get("phospho.tasks.queued").gauge().value()).isEqualTo(2);
					assertThat(registry.get("phospho.queue.size").gauge().value()).isEqualTo(2);
					assertThat(registry.get("phospho.queue.capacity").gauge().value()).isEqualTo(2);
					assertThat(registry.get("phospho.tasks.dropped").functionCounter().count()).isEqualTo(1);
					assertThat(registry.get("phospho.tasks.exported").functionCounter().count()).isZero();

					client.flush().block(Duration.ofSeconds(5));
					assertThat(registry.get("phospho.tasks.exported").functionCounter().count()).isEqualTo(2);
					assertThat(registry.get("phospho.batches.exported").functionCounter().count()).isEqualTo(1);
					assertThat(registry.get("phospho.export.bytes").functionCounter().count()).isPositive();
					assertThat(registry.get("phospho.tasks.queued").gauge().value()).isZero();
					assertThat(registry.get("phospho.tasks.failed").functionCounter().count()).isZero();
					assertThat(registry.get("phospho.tasks.rejected").functionCounter().count()).isZero();
					assertThat(registry.get("phospho.tasks.retried").functionCounter().count()).isZero();
					assertThat(registry.get("phospho.tasks.capture.errors").functionCounter().count()).isZero();
					assertThat(registry.get("phospho.export.in.flight").gauge().value()).isZero();
				});
	}

	@Test
	void theKeyIsAbsentFromTheToStringOfClientAndOptions() {
		runner().withPropertyValues("phospho.api-key=" + KEY, "phospho.project-id=p",
				"phospho.base-url=http://127.0.0.1:9").run(context -> {
					PhosphoClient client = context.getBean(PhosphoClient.class);
					assertThat(client.options().apiKey()).isEqualTo(KEY);
					assertThat(client.toString()).doesNotContain(KEY).contains("<redacted>");
					assertThat(client.options().toString()).doesNotContain(KEY);
				});
	}

	private static InvalidConfigurationPropertyValueException invalid(AssertableApplicationContext context) {
		Throwable t = context.getStartupFailure();
		while (t != null && !(t instanceof InvalidConfigurationPropertyValueException)) {
			t = t.getCause();
		}
		assertThat(t).as("an InvalidConfigurationPropertyValueException in the start-up failure").isNotNull();
		return (InvalidConfigurationPropertyValueException) t;
	}

	private static String stackTraceOf(Throwable t) {
		java.io.StringWriter out = new java.io.StringWriter();
		t.printStackTrace(new java.io.PrintWriter(out));
		return out.toString();
	}
}

package ai.phospho.reactive.spring;

import java.nio.file.Path;
import java.time.Duration;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.otel.PhosphoOtel;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class PhosphoOtelAutoConfigurationTest {

	@TempDir
	Path dir;

	private final InMemorySpanExporter spans = InMemorySpanExporter.create();

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(PhosphoAutoConfiguration.class, PhosphoOtelAutoConfiguration.class))
				.withPropertyValues("phospho.json-lines-path=" + dir.resolve("tasks.jsonl"));
	}

	private OpenTelemetrySdk sdk() {
		return OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
				.addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
	}

	@Test
	void withAnOpenTelemetryBeanEveryTaskBecomesASpan() {
		runner().withBean(OpenTelemetry.class, this::sdk).run(context -> {
			assertThat(context).hasSingleBean(PhosphoOtel.class);
			PhosphoClient client = context.getBean(PhosphoClient.class);
			LoggedTask t = client.log("in", "out");
			assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(s -> {
				assertThat(s.getName()).isEqualTo("chat");
				assertThat(t.metadata()).containsEntry("span_id", s.getSpanId());
			});
			client.shutdown().block(Duration.ofSeconds(5));
		});
	}

	@Test
	void contentIsCapturedOnlyWhenThePropertySaysSo() {
		runner().withBean(OpenTelemetry.class, this::sdk).withPropertyValues("phospho.otel.capture-content=true")
				.run(context -> {
					assertThat(context.getBean(PhosphoOtel.class).toString()).contains("captureContent=true");
					context.getBean(PhosphoClient.class).shutdown().block(Duration.ofSeconds(5));
				});
	}

	@Test
	void withoutAnOpenTelemetryBeanOrWhenDisabledThereIsNoListener() {
		runner().run(context -> assertThat(context).doesNotHaveBean(PhosphoOtel.class));
		runner().withBean(OpenTelemetry.class, this::sdk).withPropertyValues("phospho.otel.enabled=false")
				.run(context -> {
					assertThat(context).doesNotHaveBean(PhosphoOtel.class);
					assertThat(context.getBean(PhosphoClient.class).options().taskListeners()).isEmpty();
				});
	}
}

package ai.phospho.reactive.otel;

import java.time.Duration;
import java.util.function.UnaryOperator;

import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.test.InMemoryTaskExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

/** An SDK recording spans and metrics in memory, and a client whose tasks go to memory too. */
final class OtelFixture implements AutoCloseable {

	final InMemorySpanExporter spans = InMemorySpanExporter.create();
	final InMemoryMetricReader metrics = InMemoryMetricReader.create();
	final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
			.setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
			.setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
			.build();
	final InMemoryTaskExporter tasks = new InMemoryTaskExporter();
	final PhosphoClient client;

	/** {@code config} adds to a builder that names the provider {@code openai}. */
	OtelFixture(UnaryOperator<PhosphoOtel.Builder> config) {
		client = PhosphoClient.create(PhosphoOptions.builder().exporter(tasks).shutdownHook(false)
				.addTaskListener(config.apply(PhosphoOtel.builder(sdk).providerName("openai")).build()).build());
	}

	static OtelFixture create() {
		return new OtelFixture(b -> b);
	}

	@Override
	public void close() {
		client.shutdown().block(Duration.ofSeconds(10));
		sdk.close();
	}
}

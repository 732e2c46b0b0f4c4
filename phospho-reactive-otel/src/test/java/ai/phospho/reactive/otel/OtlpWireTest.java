package ai.phospho.reactive.otel;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoOptions;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Spans over the wire, OTLP/HTTP protobuf, to a real receiver on 127.0.0.1. */
class OtlpWireTest {

	static final String KEY = "phk-secret-0123456789";

	/** {@code n} streamed tasks, 16 at a time, each of three chunks on parallel threads. */
	static void streamTasks(PhosphoClient client, int n) {
		Flux<String> all = Flux.range(0, n).flatMap(i -> Flux.just("Hel", "lo ", "#" + i)
				.publishOn(Schedulers.parallel()).transform(client.logStream(PhosphoOtelSpanTest.REQUEST)), 16);
		StepVerifier.create(all).expectNextCount(3L * n).expectComplete().verify(Duration.ofSeconds(30));
	}

	static PhosphoClient client(OpenTelemetrySdk sdk) {
		return PhosphoClient.create(PhosphoOptions.builder().exporter(PhosphoOtel.discardingExporter())
				.shutdownHook(false).addTaskListener(PhosphoOtel.create(sdk)).build());
	}

	@Test
	void theSpansOfAThousandStreamedTasksReachPhosphosOtlEndpointWithTheKey() {
		try (OtlpReceiver receiver = OtlpReceiver.start()) {
			OpenTelemetrySdk sdk = PhosphoOtlp.toPhospho(receiver.baseUrl() + "/", "proj-1", KEY);
			PhosphoClient client = client(sdk);
			streamTasks(client, 1_000);
			client.shutdown().block(Duration.ofSeconds(10));
			assertThat(sdk.getSdkTracerProvider().forceFlush().join(20, TimeUnit.SECONDS).isSuccess()).isTrue();
			sdk.close();

			assertThat(receiver.spans).hasSize(1_000);
			assertThat(receiver.requestsByPath.keySet()).containsExactly("/v3/otl/proj-1");
			assertThat(receiver.spans).allSatisfy(r -> {
				assertThat(r.authorization()).isEqualTo("Bearer " + KEY);
				assertThat(r.span().getName()).isEqualTo("chat gpt-4o-mini");
				assertThat(r.span().getKind()).isEqualTo(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT);
				assertThat(r.attributes()).containsEntry("gen_ai.operation.name", "chat")
						.containsEntry("gen_ai.request.model", "gpt-4o-mini")
						.containsEntry("phospho.stream_status", "completed")
						.containsEntry("phospho.metadata.chunk_count", "3")
						.doesNotContainKey("gen_ai.input.messages");
				assertThat(r.attributes().values()).noneMatch(v -> v.contains(KEY));
			});
			Set<String> taskIds = receiver.spans.stream().map(r -> r.attributes().get("phospho.task_id"))
					.collect(Collectors.toSet());
			assertThat(taskIds).hasSize(1_000);
		}
	}

	@Test
	void theKeyIsNeverShownByTheExporterNorInARefusal() {
		SpanExporter exporter = PhosphoOtlp.spanExporter("http://127.0.0.1:9", "p", KEY);
		assertThat(exporter.toString()).doesNotContain(KEY);
		exporter.close();
		assertThatThrownBy(() -> PhosphoOtlp.spanExporter("http://127.0.0.1:9", "p", KEY + " x"))
				.hasMessage("apiKey must be printable ASCII without spaces");
		assertThatThrownBy(() -> PhosphoOtlp.spanExporter("ftp://h", "p", KEY))
				.hasMessage("baseUrl must be an http(s) URL with a host, was \"ftp://h\"");
	}

	@Test
	void aCollectorConfiguredTheOtelWayGetsTheSpans() {
		try (OtlpReceiver receiver = OtlpReceiver.start()) {
			// The properties that OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_PROTOCOL set.
			OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
					.addPropertiesSupplier(() -> Map.of("otel.exporter.otlp.endpoint", receiver.baseUrl(),
							"otel.exporter.otlp.protocol", "http/protobuf", "otel.traces.exporter", "otlp",
							"otel.metrics.exporter", "none", "otel.logs.exporter", "none",
							"otel.service.name", "chat-app"))
					.disableShutdownHook().build().getOpenTelemetrySdk();
			PhosphoClient client = client(sdk);
			streamTasks(client, 20);
			client.shutdown().block(Duration.ofSeconds(10));
			assertThat(sdk.getSdkTracerProvider().forceFlush().join(20, TimeUnit.SECONDS).isSuccess()).isTrue();
			sdk.close();

			assertThat(receiver.requestsByPath.keySet()).containsExactly("/v1/traces");
			assertThat(receiver.spans).hasSize(20).allSatisfy(r -> assertThat(r.authorization()).isNull());
		}
	}

	@Test
	void aReceiverThatIsDownAndComesBackLosesNothingWithinTheExportersRetries() throws Exception {
		int port = OtlpReceiver.freePort();
		OpenTelemetrySdk sdk = PhosphoOtlp.toPhospho("http://127.0.0.1:" + port, "proj-2", KEY);
		PhosphoClient client = client(sdk);
		streamTasks(client, 200);
		client.shutdown().block(Duration.ofSeconds(10));
		// The first attempt meets a closed port; the receiver is up before the retries (1 s, 1.5 s, ...) end.
		var flushed = sdk.getSdkTracerProvider().forceFlush();
		Thread.sleep(1_200);
		try (OtlpReceiver receiver = OtlpReceiver.start(port)) {
			assertThat(flushed.join(20, TimeUnit.SECONDS).isSuccess()).isTrue();
			sdk.close();
			List<String> ids = receiver.spans.stream().map(r -> r.attributes().get("phospho.task_id")).toList();
			assertThat(ids).hasSize(200).doesNotHaveDuplicates();
		}
	}
}

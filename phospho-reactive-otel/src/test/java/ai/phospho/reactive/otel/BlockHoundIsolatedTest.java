package ai.phospho.reactive.otel;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ai.phospho.reactive.PhosphoClient;
import ai.phospho.reactive.PhosphoOptions;
import ai.phospho.reactive.test.InMemoryTaskExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spans and metrics of logs, streams (complete, cancelled, failed) and Monos, made on
 * {@code Schedulers.parallel()} threads with BlockHound installed, block nothing: the span is
 * started at subscribe and ended when the task is built, and handed to a batch processor. In a JVM
 * of its own, started with {@code -XX:+AllowRedefinitionToAddDeleteMethods}.
 */
@Tag("isolated-jvm")
class BlockHoundIsolatedTest {

	private static final List<String> BLOCKING = new CopyOnWriteArrayList<>();

	@BeforeAll
	static void installBlockHound() {
		BlockHound.install(b -> b.blockingMethodCallback(m -> {
			// Where it blocked, for the failure's message.
			StackTraceElement[] stack = new Throwable().getStackTrace();
			BLOCKING.add(m + " on " + Thread.currentThread().getName() + " at "
					+ java.util.Arrays.asList(stack).subList(0, Math.min(30, stack.length)));
			throw new BlockingOperationError(m);
		}));
		StepVerifier.create(Mono.fromCallable(() -> {
			Thread.sleep(1);
			return "";
		}).subscribeOn(Schedulers.parallel())).expectError(BlockingOperationError.class).verify(Duration.ofSeconds(5));
		BLOCKING.clear();
	}

	@Test
	void theOtelPathNeverBlocksAParallelThread() {
		InMemorySpanExporter spans = InMemorySpanExporter.create();
		InMemoryMetricReader metrics = InMemoryMetricReader.create();
		// Set-up on the test thread, as at an application's start.
		OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
				.setTracerProvider(SdkTracerProvider.builder()
						.addSpanProcessor(BatchSpanProcessor.builder(spans).build()).build())
				.setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build()).build();
		PhosphoClient client = PhosphoClient.create(PhosphoOptions.builder().exporter(new InMemoryTaskExporter())
				.shutdownHook(false).addTaskListener(PhosphoOtel.builder(sdk).captureContent(true).build()).build());

		Mono<Void> everything = Mono.fromCallable(() -> client.log(PhosphoOtelSpanTest.REQUEST, PhosphoOtelSpanTest.COMPLETION))
				.publishOn(Schedulers.parallel())
				.thenMany(Flux.defer(() -> Flux.just(PhosphoOtelSpanTest.chunk("a"), PhosphoOtelSpanTest.USAGE_CHUNK)
						.transform(client.logStream(PhosphoOtelSpanTest.REQUEST))))
				.publishOn(Schedulers.parallel())
				.thenMany(Flux.defer(() -> Flux.range(1, 50).map(String::valueOf)
						.transform(client.logStream("cancelled")).take(2)))
				.publishOn(Schedulers.parallel())
				.thenMany(Flux.defer(() -> Flux.just("x").concatWith(Mono.error(new IllegalStateException("boom")))
						.transform(client.logStream("failed")).onErrorResume(e -> Mono.empty())))
				.publishOn(Schedulers.parallel())
				.then(Mono.defer(() -> client.logMono("mono", Mono.empty())))
				.then()
				.subscribeOn(Schedulers.parallel());
		everything.block(Duration.ofSeconds(20));

		client.shutdown().block(Duration.ofSeconds(10));
		sdk.getSdkTracerProvider().forceFlush().join(10, java.util.concurrent.TimeUnit.SECONDS);
		assertThat(BLOCKING).isEmpty();
		assertThat(spans.getFinishedSpanItems()).hasSize(5);
		assertThat(metrics.collectAllMetrics()).isNotEmpty();
		sdk.close();
	}
}

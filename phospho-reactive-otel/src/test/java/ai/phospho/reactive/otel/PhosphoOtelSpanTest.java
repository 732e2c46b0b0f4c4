package ai.phospho.reactive.otel;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.PhosphoContext;
import ai.phospho.reactive.TaskLog;
import ai.phospho.reactive.TaskRedactor;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/** The span of each kind of task: name, kind, attributes, timing, parent and status. */
class PhosphoOtelSpanTest {

	static final Map<String, Object> REQUEST = Map.of("model", "gpt-4o-mini",
			"messages", List.of(Map.of("role", "system", "content", "Be brief."), Map.of("role", "user", "content", "Hi?")));
	static final Map<String, Object> COMPLETION = Map.of("id", "chatcmpl-1", "object", "chat.completion",
			"model", "gpt-4o-mini-2024-07-18",
			"choices", List.of(Map.of("index", 0, "finish_reason", "stop",
					"message", Map.of("role", "assistant", "content", "Hello."))),
			"usage", Map.of("prompt_tokens", 12, "completion_tokens", 3, "total_tokens", 15));

	static Map<String, Object> chunk(String text) {
		return Map.of("id", "chatcmpl-2", "model", "gpt-4o-mini-2024-07-18",
				"choices", List.of(Map.of("index", 0, "delta", Map.of("content", text))));
	}

	static final Map<String, Object> USAGE_CHUNK = Map.of("id", "chatcmpl-2", "model", "gpt-4o-mini-2024-07-18",
			"choices", List.of(), "usage", Map.of("prompt_tokens", 7, "completion_tokens", 2));

	static <T> T attr(SpanData span, AttributeKey<T> key) {
		return span.getAttributes().get(key);
	}

	@Test
	void aCallBecomesOneClientSpanWithTheGenAiAttributesAndTheTaskGetsItsIds() {
		try (OtelFixture f = OtelFixture.create()) {
			long before = System.currentTimeMillis() * 1_000_000;
			LoggedTask task = f.client.log(TaskLog.of(REQUEST).output(COMPLETION).metadata(Map.of("feature", "faq", "n", 3)));
			long after = System.currentTimeMillis() * 1_000_000 + 1_000_000;

			SpanData span = f.spans.getFinishedSpanItems().get(0);
			assertThat(f.spans.getFinishedSpanItems()).hasSize(1);
			assertThat(span.getName()).isEqualTo("chat gpt-4o-mini");
			assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
			assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
			assertThat(span.getStartEpochNanos()).isBetween(before, span.getEndEpochNanos());
			assertThat(span.getEndEpochNanos()).isLessThanOrEqualTo(after);
			assertThat(span.getParentSpanContext().isValid()).isFalse();
			assertThat(attr(span, GenAi.OPERATION_NAME)).isEqualTo("chat");
			assertThat(attr(span, GenAi.PROVIDER_NAME)).isEqualTo("openai");
			assertThat(attr(span, GenAi.REQUEST_MODEL)).isEqualTo("gpt-4o-mini");
			assertThat(attr(span, GenAi.RESPONSE_MODEL)).isEqualTo("gpt-4o-mini-2024-07-18");
			assertThat(attr(span, GenAi.RESPONSE_ID)).isEqualTo("chatcmpl-1");
			assertThat(attr(span, GenAi.FINISH_REASONS)).containsExactly("stop");
			assertThat(attr(span, GenAi.INPUT_TOKENS)).isEqualTo(12L);
			assertThat(attr(span, GenAi.OUTPUT_TOKENS)).isEqualTo(3L);
			assertThat(attr(span, GenAi.ERROR_TYPE)).isNull();
			assertThat(attr(span, GenAi.TASK_ID)).isEqualTo(task.taskId());
			assertThat(attr(span, GenAi.SESSION_ID)).isEqualTo(task.sessionId());
			assertThat(attr(span, GenAi.VERSION_ID)).isEqualTo(task.versionId());
			assertThat(attr(span, AttributeKey.stringKey("phospho.metadata.feature"))).isEqualTo("faq");
			assertThat(attr(span, AttributeKey.longKey("phospho.metadata.n"))).isEqualTo(3L);
			// Content is opt-in.
			assertThat(attr(span, GenAi.INPUT_MESSAGES)).isNull();
			assertThat(attr(span, GenAi.OUTPUT_MESSAGES)).isNull();
			assertThat(task.metadata()).containsEntry("trace_id", span.getTraceId())
					.containsEntry("span_id", span.getSpanId());
		}
	}

	@Test
	void theParentIsTheCurrentSpanOrTheOneInTheReactorContext() {
		try (OtelFixture f = OtelFixture.create()) {
			Span parent = f.sdk.getTracer("test").spanBuilder("parent").startSpan();
			try (Scope ignored = parent.makeCurrent()) {
				f.client.log("in", "out");
			}
			Span reactorParent = f.sdk.getTracer("test").spanBuilder("reactor parent").startSpan();
			// As OTel's Reactor instrumentation stores it: under a private key named otel-trace-context.
			Object key = new Object() {
				@Override
				public String toString() {
					return "otel-trace-context";
				}
			};
			StepVerifier.create(Flux.just("a").transform(f.client.logStream("q"))
					.contextWrite(c -> c.put(key, Context.root().with(reactorParent))))
					.expectNext("a").expectComplete().verify(Duration.ofSeconds(5));

			List<SpanData> spans = f.spans.getFinishedSpanItems();
			assertThat(spans).hasSize(2);
			assertThat(spans.get(0).getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
			assertThat(spans.get(0).getTraceId()).isEqualTo(parent.getSpanContext().getTraceId());
			assertThat(spans.get(1).getParentSpanId()).isEqualTo(reactorParent.getSpanContext().getSpanId());
		}
	}

	@Test
	void aFullStreamEndsAtItsEndWithUsageAndTimeToFirstChunk() {
		try (OtelFixture f = OtelFixture.create()) {
			Map<String, Object> last = Map.of("id", "chatcmpl-2", "model", "gpt-4o-mini-2024-07-18",
					"choices", List.of(Map.of("index", 0, "delta", Map.of(), "finish_reason", "stop")));
			Flux<Map<String, Object>> chunks = Flux.just(chunk("Hel"), chunk("lo."), last, USAGE_CHUNK)
					.delayElements(Duration.ofMillis(20));
			long subscribed = System.currentTimeMillis() * 1_000_000;
			StepVerifier.create(chunks.transform(f.client.logStream(REQUEST)))
					.expectNextCount(4).expectComplete().verify(Duration.ofSeconds(5));

			SpanData span = f.spans.getFinishedSpanItems().get(0);
			assertThat(span.getName()).isEqualTo("chat gpt-4o-mini");
			assertThat(span.getEndEpochNanos() - span.getStartEpochNanos()).isGreaterThanOrEqualTo(60_000_000L);
			assertThat(span.getStartEpochNanos()).isGreaterThanOrEqualTo(subscribed - 1_000_000);
			assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
			assertThat(attr(span, GenAi.STREAM_STATUS)).isEqualTo("completed");
			assertThat(attr(span, GenAi.INPUT_TOKENS)).isEqualTo(7L);
			assertThat(attr(span, GenAi.OUTPUT_TOKENS)).isEqualTo(2L);
			assertThat(attr(span, GenAi.RESPONSE_MODEL)).isEqualTo("gpt-4o-mini-2024-07-18");
			assertThat(attr(span, GenAi.TIME_TO_FIRST_CHUNK)).isGreaterThanOrEqualTo(0.015);
			assertThat(attr(span, GenAi.RESPONSE_ID)).isEqualTo("chatcmpl-2");
			assertThat(attr(span, GenAi.FINISH_REASONS)).containsExactly("stop");
			assertThat(attr(span, AttributeKey.longKey("phospho.metadata.chunk_count"))).isEqualTo(4L);
		}
	}

	@Test
	void aStreamCancelledAfterTwoChunksEndsItsSpanWithStatusUnsetAndSaysSo() {
		try (OtelFixture f = OtelFixture.create()) {
			// A WebFlux client that leaves: the subscriber cancels after two chunks of an endless stream.
			Flux<Map<String, Object>> endless = Flux.interval(Duration.ofMillis(5)).map(i -> chunk("t" + i));
			StepVerifier.create(endless.transform(f.client.logStream(REQUEST)), 2)
					.expectNextCount(2).thenCancel().verify(Duration.ofSeconds(5));

			assertThat(f.spans.getFinishedSpanItems()).singleElement().satisfies(span -> {
				assertThat(span.hasEnded()).isTrue();
				assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
				assertThat(attr(span, GenAi.STREAM_STATUS)).isEqualTo("cancelled");
				assertThat(attr(span, GenAi.ERROR_TYPE)).isNull();
				assertThat(attr(span, GenAi.INPUT_TOKENS)).isNull();
				assertThat(attr(span, AttributeKey.longKey("phospho.metadata.chunk_count"))).isEqualTo(2L);
			});
		}
	}

	@Test
	void anErrorSetsStatusErrorAndErrorType() {
		try (OtelFixture f = OtelFixture.create()) {
			Flux<Map<String, Object>> failing = Flux.just(chunk("Hel"))
					.concatWith(Flux.error(new IllegalStateException("connection reset")));
			StepVerifier.create(failing.transform(f.client.logStream(REQUEST)))
					.expectNextCount(1).expectError(IllegalStateException.class).verify(Duration.ofSeconds(5));

			SpanData span = f.spans.getFinishedSpanItems().get(0);
			assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
			assertThat(span.getStatus().getDescription()).contains("connection reset");
			assertThat(attr(span, GenAi.ERROR_TYPE)).isEqualTo("java.lang.IllegalStateException");
			assertThat(attr(span, GenAi.STREAM_STATUS)).isEqualTo("error");
		}
	}

	@Test
	void aMonoThatCompletesEmptyEndsItsSpan() {
		try (OtelFixture f = OtelFixture.create()) {
			StepVerifier.create(f.client.logMono(REQUEST, Mono.empty().delaySubscription(Duration.ofMillis(10)))
					.contextWrite(PhosphoContext.session("s-1").user("u-7")))
					.expectComplete().verify(Duration.ofSeconds(5));

			SpanData span = f.spans.getFinishedSpanItems().get(0);
			assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
			assertThat(attr(span, GenAi.STREAM_STATUS)).isEqualTo("completed");
			assertThat(attr(span, GenAi.SESSION_ID)).isEqualTo("s-1");
			assertThat(attr(span, GenAi.USER_ID)).isEqualTo("u-7");
			assertThat(attr(span, GenAi.OUTPUT_TOKENS)).isNull();
			assertThat(attr(span, GenAi.RESPONSE_ID)).isNull();
		}
	}

	@Test
	void contentIsRecordedOnlyWhenAskedAndCutToMaxFieldChars() {
		try (OtelFixture f = new OtelFixture(b -> b.captureContent(true).maxFieldChars(4))) {
			f.client.log(REQUEST, COMPLETION);
			SpanData span = f.spans.getFinishedSpanItems().get(0);
			assertThat(attr(span, GenAi.INPUT_MESSAGES))
					.isEqualTo("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hi?\"}]}]");
			assertThat(attr(span, GenAi.OUTPUT_MESSAGES)).isEqualTo(
					"[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Hell\"}],\"finish_reason\":\"stop\"}]");
			assertThat(attr(span, GenAi.SYSTEM_INSTRUCTIONS)).isEqualTo("[{\"type\":\"text\",\"content\":\"Be b\"}]");
		}
	}

	@Test
	void recordedContentGoesThroughTheRedactorFirst() {
		TaskRedactor masker = ai.phospho.reactive.TaskMasker.builder().pattern("Hi").build();
		try (OtelFixture f = new OtelFixture(b -> b.captureContent(true).redactor(masker))) {
			f.client.log(REQUEST, COMPLETION);
			SpanData span = f.spans.getFinishedSpanItems().get(0);
			assertThat(attr(span, GenAi.INPUT_MESSAGES)).contains("<redacted>").doesNotContain("Hi?");
		}
	}

	@Test
	void aRedactorThatDropsTheTaskLeavesTheSpanWithoutContent() {
		try (OtelFixture f = new OtelFixture(b -> b.captureContent(true).redactor(task -> null))) {
			f.client.log(REQUEST, COMPLETION);
			SpanData span = f.spans.getFinishedSpanItems().get(0);
			assertThat(attr(span, GenAi.INPUT_MESSAGES)).isNull();
			assertThat(attr(span, GenAi.OUTPUT_MESSAGES)).isNull();
		}
	}
}

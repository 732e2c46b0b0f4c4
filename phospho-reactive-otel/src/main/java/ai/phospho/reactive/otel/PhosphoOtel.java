package ai.phospho.reactive.otel;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import ai.phospho.reactive.LoggedTask;
import ai.phospho.reactive.TaskRedactor;
import ai.phospho.reactive.export.TaskExporter;
import ai.phospho.reactive.export.TaskListener;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Every task also as an OpenTelemetry span and metrics, following the GenAI semantic conventions:
 * a {@link TaskListener} built from the application's {@link OpenTelemetry}.
 *
 * <pre>{@code
 * PhosphoOtel otel = PhosphoOtel.create(openTelemetry);
 * Phospho.init(PhosphoOptions.fromEnvironment().addTaskListener(otel).build());
 * }</pre>
 *
 * <p>The span (kind {@code CLIENT}, named {@code {gen_ai.operation.name} {gen_ai.request.model}})
 * starts when {@code log} is called or the stream or {@code Mono} is subscribed, with the span
 * current then as its parent (the OpenTelemetry context in the Reactor {@code Context}, as OTel's
 * Reactor instrumentation stores it, else {@link Context#current()}); it ends when the task is built.
 * An error sets status {@code ERROR} and {@code error.type}; a cancelled stream ends with status unset
 * and {@code phospho.stream_status: cancelled}. The task gets {@code trace_id} and {@code span_id}
 * metadata. Metrics: {@code gen_ai.client.operation.duration}, {@code gen_ai.client.token.usage} and,
 * for streams, {@code gen_ai.client.operation.time_to_first_chunk}. Message content is recorded only
 * with {@link Builder#captureContent(boolean)}.
 *
 * <p>Nothing here blocks: a span is started and ended, and histograms recorded, once per task.
 */
public final class PhosphoOtel implements TaskListener {

	/** The instrumentation scope of the spans and metrics. */
	public static final String INSTRUMENTATION_NAME = "ai.phospho.reactive.otel";
	/** Characters kept at most of each content attribute. */
	public static final int DEFAULT_MAX_FIELD_CHARS = 16_384;

	/** The conventions' advised buckets, in seconds. */
	private static final List<Double> DURATION_BUCKETS = List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28,
			2.56, 5.12, 10.24, 20.48, 40.96, 81.92);
	/** The conventions' advised buckets, in tokens. */
	private static final List<Long> TOKEN_BUCKETS = List.of(1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L,
			262144L, 1048576L, 4194304L, 16777216L, 67108864L);

	private final Tracer tracer;
	private final DoubleHistogram duration;
	private final DoubleHistogram timeToFirstChunk;
	private final LongHistogram tokens;
	private final boolean captureContent;
	private final int maxFieldChars;
	private final @Nullable String providerName;
	private final @Nullable TaskRedactor redactor;

	private PhosphoOtel(Builder b) {
		this.tracer = b.openTelemetry.getTracer(INSTRUMENTATION_NAME);
		Meter meter = b.openTelemetry.getMeter(INSTRUMENTATION_NAME);
		this.duration = meter.histogramBuilder(GenAi.METRIC_DURATION).setUnit("s")
				.setDescription("GenAI operation duration.").setExplicitBucketBoundariesAdvice(DURATION_BUCKETS).build();
		this.timeToFirstChunk = meter.histogramBuilder(GenAi.METRIC_TIME_TO_FIRST_CHUNK).setUnit("s")
				.setDescription("Time to receive the first chunk of a streamed response.")
				.setExplicitBucketBoundariesAdvice(DURATION_BUCKETS).build();
		this.tokens = meter.histogramBuilder(GenAi.METRIC_TOKEN_USAGE).ofLongs().setUnit("{token}")
				.setDescription("Number of input and output tokens used.")
				.setExplicitBucketBoundariesAdvice(TOKEN_BUCKETS).build();
		this.captureContent = b.captureContent;
		this.maxFieldChars = b.maxFieldChars;
		this.providerName = b.providerName;
		this.redactor = b.redactor;
		// OpenTelemetry finds its context storage with a ServiceLoader (reading jars) on first use: at
		// set-up, here, rather than in the first onStart, which may run on an event loop.
		Context.current();
	}

	/** Spans and metrics through {@code openTelemetry}, content not captured. */
	public static PhosphoOtel create(OpenTelemetry openTelemetry) {
		return builder(openTelemetry).build();
	}

	public static Builder builder(OpenTelemetry openTelemetry) {
		return new Builder(Objects.requireNonNull(openTelemetry, "openTelemetry"));
	}

	/**
	 * An exporter that accepts every task and sends it nowhere: for an application whose tasks reach
	 * phospho as spans only ({@link PhosphoOtlp}), without the {@code /v2/log} exporter or the JSON Lines file.
	 */
	public static TaskExporter discardingExporter() {
		return batch -> Mono.empty();
	}

	/** What a task holds of this listener between its start and its end. */
	private record Started(Span span, long startNanos) {
	}

	@Override
	public @Nullable Object onStart(ContextView context) {
		Span span = tracer.spanBuilder(GenAi.DEFAULT_OPERATION).setSpanKind(SpanKind.CLIENT)
				.setParent(ReactorParent.of(context)).startSpan();
		return new Started(span, System.nanoTime());
	}

	@Override
	public Map<String, Object> metadata(@Nullable Object state) {
		if (state instanceof Started s) {
			SpanContext c = s.span().getSpanContext();
			if (c.isValid()) {
				return Map.of("trace_id", c.getTraceId(), "span_id", c.getSpanId());
			}
		}
		return Map.of();
	}

	/**
	 * The task as its content may be recorded: through the redactor when there is one (the pipeline's
	 * runs on the export worker, after this listener); {@code null} when it drops the task or throws.
	 */
	private @Nullable LoggedTask redacted(LoggedTask task) {
		TaskRedactor r = redactor;
		if (r == null) {
			return task;
		}
		try {
			return r.redact(task);
		}
		catch (RuntimeException e) {
			return null;
		}
	}

	/** A task sampled out: its span ends with what is known, marked so. */
	@Override
	public void onDiscard(@Nullable Object state) {
		if (state instanceof Started s) {
			s.span().setAttribute("phospho.sampled_out", true);
			s.span().end();
		}
	}

	@Override
	public void onEnd(LoggedTask task, @Nullable Object state) {
		if (!(state instanceof Started s)) {
			return;
		}
		long end = System.nanoTime();
		TaskFacts f = TaskFacts.of(task, providerName);
		Span span = s.span();
		span.updateName(f.requestModel() == null ? f.operation() : f.operation() + ' ' + f.requestModel());
		AttributesBuilder common = Attributes.builder();
		f.putCommon(common);
		span.setAllAttributes(common.build());
		AttributesBuilder more = Attributes.builder();
		f.putSpanOnly(more, maxFieldChars);
		if (captureContent) {
			LoggedTask shown = redacted(task);
			if (shown != null) {
				TaskFacts.of(shown, providerName).putContent(more, maxFieldChars);
			}
		}
		span.setAllAttributes(more.build());
		String errorType = f.errorType();
		if (errorType != null) {
			span.setStatus(StatusCode.ERROR, f.errorMessage(maxFieldChars));
		}
		span.end();

		Attributes metricAttributes = common.build();
		duration.record((end - s.startNanos()) / 1e9, metricAttributes);
		Double ttfc = f.timeToFirstChunkSeconds();
		if (ttfc != null) {
			timeToFirstChunk.record(ttfc, metricAttributes);
		}
		Long in = f.inputTokens();
		if (in != null) {
			tokens.record(in, metricAttributes.toBuilder().put(GenAi.TOKEN_TYPE, "input").build());
		}
		Long out = f.outputTokens();
		if (out != null) {
			tokens.record(out, metricAttributes.toBuilder().put(GenAi.TOKEN_TYPE, "output").build());
		}
	}

	@Override
	public String toString() {
		return "PhosphoOtel{captureContent=" + captureContent + ", maxFieldChars=" + maxFieldChars
				+ ", providerName=" + providerName + '}';
	}

	/** Builds a {@link PhosphoOtel}. */
	public static final class Builder {

		private final OpenTelemetry openTelemetry;
		private boolean captureContent;
		private int maxFieldChars = DEFAULT_MAX_FIELD_CHARS;
		private @Nullable String providerName;
		private @Nullable TaskRedactor redactor;

		private Builder(OpenTelemetry openTelemetry) {
			this.openTelemetry = openTelemetry;
		}

		/**
		 * Records the input, output and system prompt as {@code gen_ai.input.messages},
		 * {@code gen_ai.output.messages} and {@code gen_ai.system_instructions}. Off by default, as the
		 * conventions require: messages often hold personal data.
		 */
		public Builder captureContent(boolean captureContent) {
			this.captureContent = captureContent;
			return this;
		}

		/** Characters kept at most of each content attribute and metadata value. Default {@value #DEFAULT_MAX_FIELD_CHARS}. */
		public Builder maxFieldChars(int maxFieldChars) {
			if (maxFieldChars < 1) {
				throw new IllegalArgumentException("maxFieldChars must be at least 1, was " + maxFieldChars);
			}
			this.maxFieldChars = maxFieldChars;
			return this;
		}

		/**
		 * {@code gen_ai.provider.name} of every task (such as {@code openai}); a task's metadata entry of
		 * that name wins. None by default: the attribute is left out when unknown.
		 */
		public Builder providerName(@Nullable String providerName) {
			this.providerName = providerName;
			return this;
		}

		/**
		 * The redactor applied to the content recorded with {@link #captureContent}: give it the
		 * client's ({@code PhosphoOptions.redactor}), since this listener sees each task as it ends,
		 * before the export worker redacts it. None by default.
		 */
		public Builder redactor(@Nullable TaskRedactor redactor) {
			this.redactor = redactor;
			return this;
		}

		public PhosphoOtel build() {
			return new PhosphoOtel(this);
		}
	}
}

/**
 * phospho-reactive-otel: every phospho task also as an OpenTelemetry GenAI span and metrics.
 * OpenTelemetry's jars are automatic modules; the SDK and the OTLP exporter are needed only by
 * {@code PhosphoOtlp}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module ai.phospho.reactive.otel {
	requires transitive ai.phospho.reactive;
	requires transitive io.opentelemetry.api;
	requires transitive io.opentelemetry.context;
	requires static transitive io.opentelemetry.sdk;
	requires static io.opentelemetry.sdk.trace;
	requires static io.opentelemetry.sdk.common;
	requires static transitive io.opentelemetry.exporter.otlp;
	requires static transitive org.jspecify;

	exports ai.phospho.reactive.otel;
}

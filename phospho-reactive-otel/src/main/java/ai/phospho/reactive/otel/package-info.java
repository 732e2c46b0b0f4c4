/**
 * Every phospho task also as an OpenTelemetry GenAI span and metrics: {@link ai.phospho.reactive.otel.PhosphoOtel}
 * is a {@link ai.phospho.reactive.export.TaskListener} built from the application's
 * {@code OpenTelemetry}; {@link ai.phospho.reactive.otel.PhosphoOtlp} builds a ready SDK that sends OTLP/HTTP
 * to a Collector or to phospho.
 */
@NullMarked
package ai.phospho.reactive.otel;

import org.jspecify.annotations.NullMarked;

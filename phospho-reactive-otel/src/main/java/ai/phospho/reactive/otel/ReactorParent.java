package ai.phospho.reactive.otel;

import java.util.Map;

import io.opentelemetry.context.Context;
import reactor.util.context.ContextView;

/**
 * The parent of a task's span: the OpenTelemetry context that OTel's Reactor instrumentation
 * ({@code ContextPropagationOperator}) keeps in the Reactor {@code Context}, else the current one.
 * That key is a private object of the instrumentation, known by its {@code toString()}; with
 * Micrometer Tracing and automatic context propagation the span is current on the subscribing thread.
 */
final class ReactorParent {

	/** What the instrumentation's key says it is. */
	static final String KEY_NAME = "otel-trace-context";

	private ReactorParent() {
	}

	static Context of(ContextView context) {
		if (!context.isEmpty()) {
			// Once per task, at subscribe: a Reactor Context holds a handful of entries.
			for (Map.Entry<Object, Object> e : (Iterable<Map.Entry<Object, Object>>) context.stream()::iterator) {
				if (e.getValue() instanceof Context otel && KEY_NAME.equals(String.valueOf(e.getKey()))) {
					return otel;
				}
			}
		}
		return Context.current();
	}
}

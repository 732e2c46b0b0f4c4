package ai.phospho.reactive.internal;

import ai.phospho.reactive.PhosphoContext;
import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Tells Micrometer's context-propagation about the thread's {@code PhosphoContext.Values}, under
 * the same key as in the Reactor Context: with {@code Hooks.enableAutomaticContextPropagation()}
 * Reactor sets it on the thread around each operator, and {@code contextCapture()} (or a blocking
 * {@code block()}) copies it into the Context. On the class path found by {@code ServiceLoader}, on
 * the module path registered by {@link ContextPropagation}; loaded only when the library is present.
 * Internal: not public API.
 */
public final class PhosphoThreadLocalAccessor implements ThreadLocalAccessor<Object> {

	@Override
	public Object key() {
		return PhosphoContext.class;
	}

	@Override
	public @Nullable Object getValue() {
		return ContextHolder.get();
	}

	@Override
	public void setValue(Object value) {
		ContextHolder.set(value);
	}

	@Override
	public void setValue() {
		ContextHolder.set(null);
	}
}

package ai.phospho.reactive.internal;

import org.jspecify.annotations.Nullable;

/**
 * The thread's current {@code PhosphoContext.Values}: set by {@code Values.makeCurrent()}, and by
 * Micrometer's context-propagation from the Reactor Context (see {@link PhosphoThreadLocalAccessor}).
 * Internal: not public API.
 */
public final class ContextHolder {

	/** Typed {@code Object} so that this class needs nothing of the API package. */
	private static final ThreadLocal<@Nullable Object> CURRENT = new ThreadLocal<>();

	private ContextHolder() {
	}

	public static @Nullable Object get() {
		return CURRENT.get();
	}

	public static void set(@Nullable Object values) {
		if (values == null) {
			CURRENT.remove();
		}
		else {
			CURRENT.set(values);
		}
	}
}

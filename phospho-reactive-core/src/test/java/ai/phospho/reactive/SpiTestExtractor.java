package ai.phospho.reactive;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A {@link PhosphoExtractor} found by {@link java.util.ServiceLoader} in the test class path
 * ({@code META-INF/services}): it knows {@link Typed}, a class without getters, and throws for
 * {@link Broken}. It returns null for everything else, so other tests do not see it.
 */
public final class SpiTestExtractor implements PhosphoExtractor {

	/** An SDK-like typed completion that Jackson cannot read (no getters). */
	public static final class Typed {
		final String text;

		public Typed(String text) {
			this.text = text;
		}

		@Override
		public String toString() {
			return "Typed(" + text + ")";
		}
	}

	/** A type the extractor fails on. */
	public static final class Broken {
		@Override
		public String toString() {
			return "Broken()";
		}
	}

	@Override
	public @Nullable Object toPlain(Object value) {
		if (value instanceof Typed t) {
			return Map.of("model", "typed-model", "choices", List.of(Map.of("message",
					Map.of("role", "assistant", "content", t.text))));
		}
		if (value instanceof Broken) {
			throw new IllegalStateException("extractor bug");
		}
		return null;
	}

	/** It gives no chunk text nor stop: asked about no chunk, so that {@link TypedChunkExtractor} is alone on its classes. */
	@Override
	public boolean readsChunksOf(Class<?> type) {
		return false;
	}
}

package ai.phospho.reactive.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import ai.phospho.reactive.PhosphoExtractor;
import org.jspecify.annotations.Nullable;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Runs user callbacks (custom extractors, stop predicates, SPI extractors) so that one that throws
 * or returns {@code null} never breaks the user's code: the failure is reported once per callback
 * class, naming it, and the caller falls back to the default.
 */
public final class Callbacks {

	private static final Logger LOG = Loggers.getLogger("ai.phospho.reactive");
	private static final int MAX_REPORTED = 1024;
	private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

	private Callbacks() {
	}

	/**
	 * Applies a custom text extractor.
	 *
	 * @return its result, or {@code null} when it threw or returned null (reported once)
	 */
	public static <T> @Nullable String applyText(String name, Function<? super T, ? extends @Nullable String> fn,
			T value) {
		try {
			String s = fn.apply(value);
			if (s == null) {
				reportOnce(name + ":" + fn.getClass().getName(),
						name + " " + fn.getClass().getName() + " returned null; the default extraction is used", null);
			}
			return s;
		}
		catch (Throwable e) {
			Failures.throwIfFatal(e);
			reportOnce(name + ":" + fn.getClass().getName(),
					name + " " + fn.getClass().getName() + " threw; the default extraction is used", e);
			return null;
		}
	}

	static @Nullable Object extractorToPlain(PhosphoExtractor extractor, Object value) {
		try {
			return extractor.toPlain(value);
		}
		catch (Throwable e) {
			Failures.throwIfFatal(e);
			reportOnce("toPlain:" + extractor.getClass().getName(),
					"PhosphoExtractor " + extractor.getClass().getName() + ".toPlain threw; it is skipped", e);
			return null;
		}
	}

	/** Reports a warning the first time {@code key} is seen, off this thread (see {@link Reports}). */
	public static void reportOnce(String key, String message, @Nullable Throwable error) {
		if (REPORTED.size() >= MAX_REPORTED || !REPORTED.add(key)) {
			return;
		}
		if (error == null) {
			Reports.warn(LOG, "{}", message);
		}
		else {
			Reports.warn(LOG, "{}: {}", message, Failures.describe(error), error);
		}
	}

	/** Whether {@code key} was reported; for tests. */
	public static boolean wasReported(String key) {
		return REPORTED.contains(key);
	}
}

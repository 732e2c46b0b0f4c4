package ai.phospho.reactive.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

import ai.phospho.reactive.PhosphoExtractor;

/**
 * The {@link PhosphoExtractor}s found with {@link ServiceLoader}, in {@link PhosphoExtractor#order()},
 * looked up once (it reads files: at a client's creation, not on an event loop). Internal: not public API.
 */
public final class Extractors {

	private static final List<PhosphoExtractor> ALL = load();

	private Extractors() {
	}

	/** The extractors found on the class path (or module path), in order. */
	public static List<PhosphoExtractor> all() {
		return ALL;
	}

	private static List<PhosphoExtractor> load() {
		List<PhosphoExtractor> found = new ArrayList<>();
		try {
			for (PhosphoExtractor e : ServiceLoader.load(PhosphoExtractor.class, Extractors.class.getClassLoader())) {
				found.add(e);
			}
		}
		catch (RuntimeException | ServiceConfigurationError e) {
			Callbacks.reportOnce("ServiceLoader:" + PhosphoExtractor.class.getName(),
					"could not load a PhosphoExtractor; built-in extraction only", e);
		}
		found.sort((a, b) -> Integer.compare(a.order(), b.order()));
		return List.copyOf(found);
	}
}

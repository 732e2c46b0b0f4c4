package ai.phospho.reactive.internal;

import io.micrometer.context.ContextRegistry;

/**
 * Registers {@link PhosphoThreadLocalAccessor} with Micrometer's context-propagation on the module
 * path, when the library is there. On the class path its {@code ServiceLoader} finds the accessor in
 * {@code META-INF/services}, as before; on the module path only a {@code provides} would, and a module
 * that {@code provides} a service of an optional module cannot start without it (the boot layer's
 * resolution fails). Registering under the accessor's key replaces an accessor already there.
 *
 * <p>Done once, when a client is created (at start-up, as a rule) or a {@code PhosphoContext.Values}
 * is first made: it may initialise the registry, whose {@code ServiceLoader} reads jars, which
 * should not happen on an event loop; the class path keeps not forcing it. Internal: not public API.
 */
public final class ContextPropagation {

	private static final boolean NEEDED = ContextPropagation.class.getModule().isNamed() && present();

	private ContextPropagation() {
	}

	private static boolean present() {
		try {
			// Not initialised here: on the module path, found only when the module was resolved (and so is read).
			Class.forName("io.micrometer.context.ContextRegistry", false, ContextPropagation.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException | LinkageError e) {
			return false;
		}
	}

	/**
	 * Registers the accessor once, on the module path; on the class path or without the library, does
	 * nothing. A caller that comes while another registers waits for it (the holder's initialisation),
	 * so that no Values crosses threads before the accessor is there.
	 */
	public static void register() {
		if (NEEDED) {
			Once.done();
		}
	}

	/**
	 * Registers in its initialisation: once, and the JVM makes concurrent first callers wait for it.
	 * Loaded only when the library is present: its classes are named here alone.
	 */
	private static final class Once {
		static {
			try {
				ContextRegistry.getInstance().registerThreadLocalAccessor(new PhosphoThreadLocalAccessor());
			}
			catch (RuntimeException | LinkageError e) {
				Callbacks.reportOnce("contextPropagation", "phospho: the context-propagation library is present but "
						+ "the phospho values could not be registered with it; they follow the Reactor Context only", e);
			}
		}

		static void done() {
			// Its initialisation is the work.
		}
	}
}

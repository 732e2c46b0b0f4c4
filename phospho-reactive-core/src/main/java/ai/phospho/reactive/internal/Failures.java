package ai.phospho.reactive.internal;

import org.jspecify.annotations.Nullable;

/**
 * What phospho does with a {@code Throwable} from user code, a value or its own conversions.
 * Internal: not public API.
 *
 * <p>Capture and export survive everything but a {@link VirtualMachineError} other than a
 * {@link StackOverflowError} (a deep or cyclic value): an {@code OutOfMemoryError} or an
 * {@code InternalError} on a caller's thread is the JVM's, not the library's to hide. Unlike
 * reactor's {@code Exceptions.throwIfJvmFatal}, a {@link LinkageError} is not fatal here: a getter
 * that meets a missing optional class must not break the caller's code.
 */
public final class Failures {

	private Failures() {
	}

	public static void throwIfFatal(Throwable t) {
		if (t instanceof VirtualMachineError e && !(t instanceof StackOverflowError)) {
			throw e;
		}
	}

	/**
	 * {@code t.toString()}, or its class name when that throws: an exception is user data too, and
	 * reporting it must not fail.
	 */
	public static String describe(@Nullable Throwable t) {
		if (t == null) {
			return "unknown error";
		}
		try {
			return String.valueOf(t);
		}
		catch (Throwable e) {
			return t.getClass().getName() + " (its toString() threw " + e.getClass().getName() + ")";
		}
	}
}

package ai.phospho.reactive.internal;

import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** The disposal of the library's own single-thread schedulers (the worker, the export calls, the spool). */
final class OwnSchedulers {

	private OwnSchedulers() {
	}

	/**
	 * Shuts {@code s} down once its queued tasks have run. Its executor's shutdown takes the locks of
	 * its queue, which its own thread holds for a moment at a time; so it is called on
	 * {@code boundedElastic}, where a thread may wait, not on the thread that finished the client's
	 * shutdown: one of the library's non-blocking threads or an event loop, where BlockHound caught it
	 * parking. If {@code boundedElastic} refuses the work (the application disposed it), at once.
	 */
	static void dispose(Scheduler s) {
		s.disposeGracefully().subscribeOn(Schedulers.boundedElastic()).subscribe(null, e -> s.dispose());
	}
}

package ai.phospho.reactive;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import ai.phospho.reactive.Capture.Status;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Fuseable;
import reactor.core.Scannable;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * The subscriber behind {@link FluxLogStream} and {@link MonoLogValue}: passes every signal through
 * untouched (demand, cancellation, synchronous fusion, conditional {@code tryOnNext}) and feeds the
 * values to a {@link Capture}, which becomes exactly one task.
 *
 * <p>{@code onNext}/{@code onComplete}/{@code onError} (or {@code poll} when fused) come from one
 * thread at a time, {@code cancel} from any. The capture is safe to read while the signal thread
 * writes to it (see {@link Chunks}), so a chunk costs no lock and no read-modify-write: the one
 * compare-and-set is on {@link #emitted}, when the task is logged. Whoever wins it logs the task,
 * once, and drops the capture.
 */
final class LogStreamSubscriber<T> implements Fuseable.ConditionalSubscriber<T>, Fuseable.QueueSubscription<T>,
		Scannable {

	private static final VarHandle EMITTED;

	static {
		try {
			EMITTED = MethodHandles.lookup().findVarHandle(LogStreamSubscriber.class, "emitted", boolean.class);
		}
		catch (ReflectiveOperationException e) {
			throw new ExceptionInInitializerError(e);
		}
	}

	final CoreSubscriber<? super T> actual;
	final Fuseable.@Nullable ConditionalSubscriber<? super T> conditional;
	/** Volatile: a cancelling thread that logs the task reads it. */
	volatile @Nullable Capture<T> capture;

	@Nullable Subscription s;
	Fuseable.@Nullable QueueSubscription<T> qs;
	int sourceMode;
	boolean done;
	volatile boolean cancelled;
	volatile boolean emitted;

	@SuppressWarnings("unchecked")
	LogStreamSubscriber(CoreSubscriber<? super T> actual, Capture<T> capture) {
		this.actual = actual;
		this.conditional = actual instanceof Fuseable.ConditionalSubscriber<?> c
				? (Fuseable.ConditionalSubscriber<? super T>) c : null;
		this.capture = capture;
	}

	@Override
	@SuppressWarnings("unchecked")
	public void onSubscribe(Subscription s) {
		if (Operators.validate(this.s, s)) {
			this.s = s;
			if (s instanceof Fuseable.QueueSubscription<?> q) {
				this.qs = (Fuseable.QueueSubscription<T>) q;
			}
			actual.onSubscribe(this);
		}
	}

	@Override
	public void onNext(T t) {
		if (done) {
			Operators.onNextDropped(t, actual.currentContext());
			return;
		}
		observe(t);
		actual.onNext(t);
	}

	@Override
	public boolean tryOnNext(T t) {
		if (done) {
			Operators.onNextDropped(t, actual.currentContext());
			return true;
		}
		observe(t);
		if (conditional != null) {
			return conditional.tryOnNext(t);
		}
		actual.onNext(t);
		return true;
	}

	@Override
	public void onError(Throwable t) {
		if (done) {
			Operators.onErrorDropped(t, actual.currentContext());
			return;
		}
		done = true;
		finish(Status.ERROR, t);
		actual.onError(t);
	}

	@Override
	public void onComplete() {
		if (done) {
			return;
		}
		done = true;
		finish(Status.COMPLETED, null);
		actual.onComplete();
	}

	@Override
	public void request(long n) {
		Subscription up = s;
		if (up != null) {
			up.request(n);
		}
	}

	@Override
	public void cancel() {
		cancelled = true;
		finish(Status.CANCELLED, null);
		Subscription up = s;
		if (up != null) {
			up.cancel();
		}
	}

	/** Gathers a chunk unless the task was logged. */
	private void observe(T t) {
		Capture<T> c = capture;
		if (c == null || emitted) {
			return;
		}
		Status end;
		try {
			end = c.signal(t);
		}
		catch (Throwable e) {
			// What the capture cannot read is the library's problem, never the subscriber's.
			c.failed("capturing a chunk", e);
			end = null;
		}
		if (end != null) {
			finish(end, null);
		}
	}

	/** Logs the task if nobody did: exactly once, from whichever thread gets here first. */
	private void finish(Status status, @Nullable Throwable error) {
		if (!emitted && EMITTED.compareAndSet(this, false, true)) {
			Capture<T> c = capture;
			capture = null;
			if (c != null) {
				c.emit(status, error);
			}
		}
	}

	@Override
	public int requestFusion(int requestedMode) {
		// Only synchronous fusion: chunks are then gathered in poll() on the consumer's thread with
		// the task logged when poll() returns null. Asynchronous fusion would let onComplete race
		// with chunks not yet polled; a thread barrier would move user callbacks off the source thread.
		Fuseable.QueueSubscription<T> q = qs;
		if (q == null || (requestedMode & Fuseable.THREAD_BARRIER) != 0 || (requestedMode & Fuseable.SYNC) == 0) {
			return Fuseable.NONE;
		}
		int m = q.requestFusion(Fuseable.SYNC);
		sourceMode = m;
		return m;
	}

	@Override
	public @Nullable T poll() {
		Fuseable.QueueSubscription<T> q = qs;
		if (q == null) {
			return null;
		}
		T v;
		try {
			v = q.poll();
		}
		catch (RuntimeException | Error e) {
			done = true;
			finish(Status.ERROR, e);
			throw e;
		}
		if (v != null) {
			observe(v);
		}
		else if (sourceMode == Fuseable.SYNC && !done) {
			done = true;
			finish(Status.COMPLETED, null);
		}
		return v;
	}

	@Override
	public boolean isEmpty() {
		Fuseable.QueueSubscription<T> q = qs;
		if (q == null) {
			return true;
		}
		boolean empty = q.isEmpty();
		if (empty && sourceMode == Fuseable.SYNC && !done) {
			// A synchronous source that is empty is exhausted: some consumers complete on isEmpty()
			// without polling a last null.
			done = true;
			finish(Status.COMPLETED, null);
		}
		return empty;
	}

	@Override
	public int size() {
		Fuseable.QueueSubscription<T> q = qs;
		return q == null ? 0 : q.size();
	}

	@Override
	public void clear() {
		Fuseable.QueueSubscription<T> q = qs;
		if (q != null) {
			q.clear();
		}
	}

	@Override
	public Context currentContext() {
		return actual.currentContext();
	}

	@Override
	@SuppressWarnings("rawtypes")
	public @Nullable Object scanUnsafe(Attr key) {
		if (key == Attr.PARENT) {
			return s;
		}
		if (key == Attr.ACTUAL) {
			return actual;
		}
		if (key == Attr.TERMINATED) {
			return done;
		}
		if (key == Attr.CANCELLED) {
			return cancelled;
		}
		if (key == Attr.RUN_STYLE) {
			return Attr.RunStyle.SYNC;
		}
		if (key == Attr.PREFETCH) {
			return Scannable.from(s).scanUnsafe(Attr.PREFETCH);
		}
		return null;
	}

	@Override
	public String toString() {
		return "LogStreamSubscriber";
	}
}

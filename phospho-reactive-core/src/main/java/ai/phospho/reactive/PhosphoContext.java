package ai.phospho.reactive;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import ai.phospho.reactive.internal.ContextHolder;
import ai.phospho.reactive.internal.ContextPropagation;
import ai.phospho.reactive.internal.Plain;
import org.jspecify.annotations.Nullable;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Task values carried by the Reactor {@code Context}: every capture operator ({@code logStream},
 * {@code tap}, {@code logMono}, {@code wrapMono}, {@code wrapFlux}) reads them at subscribe time.
 * Values passed explicitly on the call win over the Context.
 *
 * <pre>{@code
 * Phospho.tap(chunks, stop)
 *     .contextWrite(PhosphoContext.session("s-1").user("u-7").metadata("k", "v").input(query));
 * }</pre>
 *
 * <p>Several {@code contextWrite}s merge; as with any Context key, the one nearest the source wins.
 *
 * <p>The values also follow the request onto other threads and into imperative code. With
 * Micrometer's {@code context-propagation} on the class path (an optional dependency) and
 * {@code Hooks.enableAutomaticContextPropagation()} (Spring Boot:
 * {@code spring.reactor.context-propagation=auto}), a {@code Phospho.log(..)} inside {@code map}, or
 * in a blocking call on {@code boundedElastic}, sees the values of the Context it runs in. The other
 * way, values made current on a thread ({@link Values#makeCurrent()}) are read by a capture operator
 * subscribed on that thread when its Context has none, and are copied into the Context by
 * {@code contextCapture()} (or, with automatic propagation, by {@code block()}).
 *
 * <pre>{@code
 * try (PhosphoContext.Scope scope = PhosphoContext.session("s-1").user("u-7").makeCurrent()) {
 *     Phospho.log(question, answer);    // session s-1, user u-7
 * }
 * }</pre>
 */
public final class PhosphoContext {

	/** The one Context key: the merged {@link Values}. */
	static final Object KEY = PhosphoContext.class;

	private PhosphoContext() {
	}

	/** The session ({@code session_id}). */
	public static Values session(String sessionId) {
		return Values.EMPTY.session(sessionId);
	}

	/** The user ({@code user_id}). */
	public static Values user(String userId) {
		return Values.EMPTY.user(userId);
	}

	/** The app version ({@code version_id}). */
	public static Values version(String versionId) {
		return Values.EMPTY.version(versionId);
	}

	/** The task id: only one task should be logged under it. */
	public static Values task(String taskId) {
		return Values.EMPTY.task(taskId);
	}

	/** One metadata entry; the value is copied to its plain JSON form now. */
	public static Values metadata(String key, @Nullable Object value) {
		return Values.EMPTY.metadata(key, value);
	}

	/** The input of tasks logged by {@code tap}, which has no input of its own. */
	public static Values input(Object input) {
		return Values.EMPTY.input(input);
	}

	/** The test ({@code test_id}); wins over {@link PhosphoOptions#testId()}. */
	public static Values test(String testId) {
		return Values.EMPTY.test(testId);
	}

	/** The values made current on this thread, or propagated to it; {@code null} when there are none. */
	static @Nullable ContextValues current() {
		return ContextHolder.get() instanceof Values values ? values.snapshot : null;
	}

	/** The values in {@code context}, else those current on this thread; {@link ContextValues#EMPTY} when there are none. */
	static ContextValues read(ContextView context) {
		Object v = context.getOrDefault(KEY, null);
		if (v instanceof Values values) {
			return values.snapshot;
		}
		ContextValues current = current();
		return current != null ? current : ContextValues.EMPTY;
	}

	/** Values made current on a thread until {@link #close()}, which restores what was current before. */
	public interface Scope extends AutoCloseable {
		@Override
		void close();
	}

	/**
	 * An immutable set of phospho values to write into a {@code Context}; each method returns a copy
	 * with one more value. Use it with {@code contextWrite}.
	 */
	public static final class Values implements Function<Context, Context> {

		static {
			// Before any Values exists, so before Reactor can meet one in a Context, if no client was
			// made yet: the thread-local accessor, on the module path (see ContextPropagation).
			ContextPropagation.register();
		}

		static final Values EMPTY = new Values(ContextValues.EMPTY);

		final ContextValues snapshot;

		private Values(ContextValues snapshot) {
			this.snapshot = snapshot;
		}

		public Values session(String sessionId) {
			ContextValues c = snapshot;
			return new Values(new ContextValues(Objects.requireNonNull(sessionId, "sessionId"), c.taskId(),
					c.userId(), c.versionId(), c.input(), c.metadata(), c.testId()));
		}

		public Values user(String userId) {
			ContextValues c = snapshot;
			return new Values(new ContextValues(c.sessionId(), c.taskId(), Objects.requireNonNull(userId, "userId"),
					c.versionId(), c.input(), c.metadata(), c.testId()));
		}

		public Values version(String versionId) {
			ContextValues c = snapshot;
			return new Values(new ContextValues(c.sessionId(), c.taskId(), c.userId(),
					Objects.requireNonNull(versionId, "versionId"), c.input(), c.metadata(), c.testId()));
		}

		public Values task(String taskId) {
			ContextValues c = snapshot;
			return new Values(new ContextValues(c.sessionId(), Objects.requireNonNull(taskId, "taskId"), c.userId(),
					c.versionId(), c.input(), c.metadata(), c.testId()));
		}

		public Values metadata(String key, @Nullable Object value) {
			Objects.requireNonNull(key, "key");
			ContextValues c = snapshot;
			Map<String, Object> m = c.metadata() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(c.metadata());
			m.put(key, Plain.of(value));
			return new Values(new ContextValues(c.sessionId(), c.taskId(), c.userId(), c.versionId(), c.input(),
					Collections.unmodifiableMap(m), c.testId()));
		}

		public Values input(Object input) {
			ContextValues c = snapshot;
			return new Values(new ContextValues(c.sessionId(), c.taskId(), c.userId(), c.versionId(),
					Objects.requireNonNull(input, "input"), c.metadata(), c.testId()));
		}

		public Values test(String testId) {
			ContextValues c = snapshot;
			return new Values(new ContextValues(c.sessionId(), c.taskId(), c.userId(), c.versionId(), c.input(),
					c.metadata(), Objects.requireNonNull(testId, "testId")));
		}

		/**
		 * Makes these values current on this thread, over those current already (metadata maps merge),
		 * until the scope is closed: for {@code Phospho.log(..)} in imperative code, and for capture
		 * operators subscribed on this thread.
		 */
		public Scope makeCurrent() {
			Object previous = ContextHolder.get();
			ContextHolder.set(previous instanceof Values old ? old.overriddenBy(this) : this);
			return () -> ContextHolder.set(previous);
		}

		/** Writes these values over those already in {@code context} (metadata maps merge). */
		@Override
		public Context apply(Context context) {
			Object existing = context.getOrDefault(KEY, null);
			Values merged = existing instanceof Values old ? old.overriddenBy(this) : this;
			return context.put(KEY, merged);
		}

		private Values overriddenBy(Values top) {
			ContextValues a = snapshot;
			ContextValues b = top.snapshot;
			Map<String, Object> metadata = a.metadata();
			if (b.metadata() != null) {
				if (metadata == null) {
					metadata = b.metadata();
				}
				else {
					Map<String, Object> m = new LinkedHashMap<>(metadata);
					m.putAll(b.metadata());
					metadata = Collections.unmodifiableMap(m);
				}
			}
			return new Values(new ContextValues(or(b.sessionId(), a.sessionId()), or(b.taskId(), a.taskId()),
					or(b.userId(), a.userId()), or(b.versionId(), a.versionId()),
					b.input() != null ? b.input() : a.input(), metadata, or(b.testId(), a.testId())));
		}

		private static @Nullable String or(@Nullable String a, @Nullable String b) {
			return a != null ? a : b;
		}

		@Override
		public String toString() {
			return "PhosphoContext" + snapshot;
		}
	}
}

package ai.phospho.reactive;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

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

	/** The values in {@code context}; {@link ContextValues#EMPTY} when there are none. */
	static ContextValues read(ContextView context) {
		Object v = context.getOrDefault(KEY, null);
		return v instanceof Values values ? values.snapshot : ContextValues.EMPTY;
	}

	/**
	 * An immutable set of phospho values to write into a {@code Context}; each method returns a copy
	 * with one more value. Use it with {@code contextWrite}.
	 */
	public static final class Values implements Function<Context, Context> {

		static final Values EMPTY = new Values(ContextValues.EMPTY);

		final ContextValues snapshot;

		private Values(ContextValues snapshot) {
			this.snapshot = snapshot;
		}

		public Values session(String sessionId) {
			ContextValues c = snapshot;
			return new Values(new ContextValues(Objects.requireNonNull(sessionId, "sessionId"), c.taskId(),
					c.userId(), c.versionId(), c.input(), c.metadata()));
		}

		public Values user(String userId) {
			ContextValues c = snapshot;
			return new Values(new ContextValues(c.sessionId(), c.taskId(), Objects.requireNonNull(userId, "userId"),
					c.versionId(), c.input(), c.metadata()));
		}

		public Values version(String versionId) {
			ContextValues c = snapshot;
			return new Values(new ContextValues(c.sessionId(), c.taskId(), c.userId(),
					Objects.requireNonNull(versionId, "versionId"), c.input(), c.metadata()));
		}

		public Values task(String taskId) {
			ContextValues c = snapshot;
			return new Values(new ContextValues(c.sessionId(), Objects.requireNonNull(taskId, "taskId"), c.userId(),
					c.versionId(), c.input(), c.metadata()));
		}

		public Values metadata(String key, @Nullable Object value) {
			Objects.requireNonNull(key, "key");
			ContextValues c = snapshot;
			Map<String, Object> m = c.metadata() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(c.metadata());
			m.put(key, Plain.of(value));
			return new Values(new ContextValues(c.sessionId(), c.taskId(), c.userId(), c.versionId(), c.input(),
					Collections.unmodifiableMap(m)));
		}

		public Values input(Object input) {
			ContextValues c = snapshot;
			return new Values(new ContextValues(c.sessionId(), c.taskId(), c.userId(), c.versionId(),
					Objects.requireNonNull(input, "input"), c.metadata()));
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
					b.input() != null ? b.input() : a.input(), metadata));
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

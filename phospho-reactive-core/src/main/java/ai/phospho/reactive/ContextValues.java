package ai.phospho.reactive;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/** Task values read from the Reactor {@code Context} at subscribe time, or from the thread; any may be absent. */
record ContextValues(@Nullable String sessionId, @Nullable String taskId, @Nullable String userId,
		@Nullable String versionId, @Nullable Object input, @Nullable Map<String, Object> metadata,
		@Nullable String testId) {

	static final ContextValues EMPTY = new ContextValues(null, null, null, null, null, null, null);
}

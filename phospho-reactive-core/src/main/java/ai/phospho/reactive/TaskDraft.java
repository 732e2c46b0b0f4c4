package ai.phospho.reactive;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The mutable fields of a task being assembled, on one thread, before it becomes a {@link LoggedTask}.
 * A {@link TaskBuilder} is its own draft (one object less per logged task).
 */
class TaskDraft {
	@Nullable String projectId;
	String input = "";
	@Nullable String output;
	long clientCreatedAt;
	@Nullable Long lastUpdate;
	@Nullable Map<String, Object> metadata;
	String sessionId = "";
	String taskId = "";
	/**
	 * Whether the task's ids are made by the library ({@code Ids}) from these random bits, their text
	 * written when first read; {@link #taskId} and {@link #sessionId} are then unused.
	 */
	boolean madeTaskId;
	boolean madeSessionId;
	long taskHi;
	long taskLo;
	long sessionHi;
	long sessionLo;
	String versionId = "";
	@Nullable String userId;
	@Nullable String testId;
	@Nullable Flag flag;
	@Nullable Object rawInput;
	@Nullable String rawInputTypeName;
	@Nullable Object rawOutput;
	@Nullable String rawOutputTypeName;
	String environment = PhosphoOptions.DEFAULT_ENVIRONMENT;
	@Nullable String systemPrompt;
	@Nullable String model;
	/** Every usage field, sent as top-level keys (see {@code Extraction.usage}). */
	@Nullable Map<String, Object> usage;
	boolean truncated;
	@Nullable Map<String, Object> extras;

	LoggedTask build() {
		return new LoggedTask(this);
	}
}

package ai.phospho.reactive;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Everything {@link Phospho#log(TaskLog)} can record about one task; the Java form of the Python
 * SDK's {@code phospho.log(...)} keyword arguments.
 *
 * <pre>{@code
 * Phospho.log(TaskLog.of(query)
 *     .output(response)
 *     .metadata(Map.of("always", "moooore"))
 *     .put("log_anything_and_everything", "even this is ok"));
 * }</pre>
 *
 * <p>A {@code TaskLog} is a mutable builder used on one thread; {@code log} copies what it holds.
 *
 * @param <I> the type of the input
 * @param <O> the type of the output
 */
public final class TaskLog<I, O> {

	/** Keys of the event that have their own setter; {@link #put} refuses them. */
	static final Set<String> RESERVED_KEYS = Set.of("project_id", "input", "output", "client_created_at",
			"last_update", "metadata", "session_id", "task_id", "version_id", "user_id", "flag", "raw_input",
			"raw_input_type_name", "raw_output", "raw_output_type_name", "environment", "system_prompt", "model",
			"prompt_tokens", "completion_tokens", "total_tokens", "truncated");

	final @Nullable I input;
	@Nullable O output;
	@Nullable String sessionId;
	@Nullable String taskId;
	@Nullable String userId;
	@Nullable String versionId;
	@Nullable Flag flag;
	@Nullable Map<String, Object> metadata;
	@Nullable Map<String, Object> extras;
	boolean rawInputSet;
	@Nullable Object rawInput;
	boolean rawOutputSet;
	@Nullable Object rawOutput;
	@Nullable Function<? super I, ? extends @Nullable String> inputToString;
	@Nullable Function<? super O, ? extends @Nullable String> outputToString;

	private TaskLog(@Nullable I input) {
		this.input = input;
	}

	/**
	 * A task with this input: a string, an OpenAI request or message list (as maps, records or
	 * JSON), or any object.
	 *
	 * @throws NullPointerException when {@code input} is null
	 */
	public static <I> TaskLog<I, Object> of(I input) {
		if (input == null) {
			throw new NullPointerException("input must not be null: log \"\" for a task without input");
		}
		return new TaskLog<>(input);
	}

	/** The output: a string, a chat completion, a message list, or any object; {@code null} for none. */
	@SuppressWarnings("unchecked")
	public <O2> TaskLog<I, O2> output(@Nullable O2 output) {
		TaskLog<I, O2> self = (TaskLog<I, O2>) this;
		self.output = output;
		// An outputToString set before is kept, whatever the order of the calls; if it was written
		// for another type, its ClassCastException is reported once and the default extraction used.
		return self;
	}

	/** The session (conversation) this task belongs to. Default: a new {@code session_...} id. */
	public TaskLog<I, O> sessionId(@Nullable String sessionId) {
		this.sessionId = sessionId;
		return this;
	}

	/** The task's id. Default: a new {@code task_...} id. */
	public TaskLog<I, O> taskId(@Nullable String taskId) {
		this.taskId = taskId;
		return this;
	}

	public TaskLog<I, O> userId(@Nullable String userId) {
		this.userId = userId;
		return this;
	}

	/** The app's version. Default: {@link PhosphoOptions#versionId()}. */
	public TaskLog<I, O> versionId(@Nullable String versionId) {
		this.versionId = versionId;
		return this;
	}

	public TaskLog<I, O> flag(@Nullable Flag flag) {
		this.flag = flag;
		return this;
	}

	/** Adds these entries to the task's {@code metadata} (copied when the task is logged). */
	public TaskLog<I, O> metadata(Map<String, ?> metadata) {
		Objects.requireNonNull(metadata, "metadata");
		if (this.metadata == null) {
			this.metadata = new LinkedHashMap<>();
		}
		for (Map.Entry<String, ?> e : metadata.entrySet()) {
			this.metadata.put(Objects.requireNonNull(e.getKey(), "metadata key"), e.getValue());
		}
		return this;
	}

	/**
	 * Adds a top-level key to the event, like an extra keyword argument of the Python
	 * {@code phospho.log}.
	 *
	 * @throws IllegalArgumentException when {@code key} is a field with its own setter
	 */
	public TaskLog<I, O> put(String key, @Nullable Object value) {
		Objects.requireNonNull(key, "key");
		if (RESERVED_KEYS.contains(key)) {
			throw new IllegalArgumentException("key '" + key + "' is a field of the event: set it with its own method");
		}
		if (extras == null) {
			extras = new LinkedHashMap<>();
		}
		extras.put(key, value);
		return this;
	}

	/** What to send as {@code raw_input} instead of the input itself. */
	public TaskLog<I, O> rawInput(@Nullable Object rawInput) {
		this.rawInputSet = true;
		this.rawInput = rawInput;
		return this;
	}

	/** What to send as {@code raw_output} instead of the output itself. */
	public TaskLog<I, O> rawOutput(@Nullable Object rawOutput) {
		this.rawOutputSet = true;
		this.rawOutput = rawOutput;
		return this;
	}

	/**
	 * A custom extractor of the input text, replacing the default extraction. If it throws or
	 * returns null, that is reported once and the default extraction is used.
	 */
	public TaskLog<I, O> inputToString(Function<? super I, ? extends @Nullable String> inputToString) {
		this.inputToString = Objects.requireNonNull(inputToString, "inputToString");
		return this;
	}

	/** A custom extractor of the output text; as {@link #inputToString}. */
	public TaskLog<I, O> outputToString(Function<? super O, ? extends @Nullable String> outputToString) {
		this.outputToString = Objects.requireNonNull(outputToString, "outputToString");
		return this;
	}
}

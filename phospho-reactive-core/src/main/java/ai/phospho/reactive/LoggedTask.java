package ai.phospho.reactive;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import ai.phospho.reactive.internal.DeferredChunks;
import ai.phospho.reactive.internal.EventWriter;
import ai.phospho.reactive.internal.Ids;
import ai.phospho.reactive.internal.Plain;
import org.jspecify.annotations.Nullable;

/**
 * An immutable snapshot of one logged task: what {@link Phospho#log(Object, Object)} returns and
 * what exporters receive. Raw values and metadata were copied when the task was logged, so later
 * changes to the caller's maps and lists do not reach it.
 *
 * <p>{@link #toMap()} is exactly the JSON event that is exported; keys with no value are left out.
 */
public final class LoggedTask {

	private final @Nullable String projectId;
	private final String input;
	private final @Nullable String output;
	private final long clientCreatedAt;
	private final @Nullable Long lastUpdate;
	private final Map<String, Object> metadata;
	/** Null until first read when the library made the id: then written from the bits below. */
	private @Nullable String sessionId;
	private @Nullable String taskId;
	/** The random bits of the ids the library made (see {@code Ids}): the text is made when it is read. */
	private final long sessionHi;
	private final long sessionLo;
	private final long taskHi;
	private final long taskLo;
	private final String versionId;
	private final @Nullable String userId;
	private final @Nullable String testId;
	private final @Nullable Flag flag;
	private final @Nullable Object rawInput;
	private final @Nullable String rawInputTypeName;
	private final @Nullable Object rawOutput;
	private final @Nullable String rawOutputTypeName;
	private final String environment;
	private final @Nullable String systemPrompt;
	private final @Nullable String model;
	private final Map<String, Object> usage;
	private final boolean truncated;
	private final Map<String, Object> extras;

	static {
		EventWriter.accessWith(new Access());
	}

	/** What {@link EventWriter} reads of a task beyond its public accessors. */
	private static final class Access implements EventWriter.TaskAccess {
		@Override
		public long estimatedSize(LoggedTask t) {
			return t.estimatedSize();
		}

		@Override
		public @Nullable Object heldRawOutput(LoggedTask t) {
			return t.rawOutput;
		}

		@Override
		public int plainTexts(LoggedTask t) {
			return t.plainTexts;
		}

		@Override
		public int madeIdBytes(LoggedTask t, boolean session, byte[] out) {
			if (session) {
				return t.madeSessionId ? Ids.sessionId(t.sessionHi, t.sessionLo, out) : 0;
			}
			return t.madeTaskId ? Ids.taskId(t.taskHi, t.taskLo, out) : 0;
		}

		@Override
		public LoggedTask fromJson(byte[] json) {
			return TaskEvents.fromJson(json);
		}
	}

	/** {@link EventWriter#estimateSize}, computed once by the export worker; 0 until then. */
	private long estimatedSize;
	/**
	 * The texts the estimate found plain ({@link EventWriter#PLAIN_INPUT}, {@link EventWriter#PLAIN_OUTPUT}),
	 * written before the estimate: 0 (none) until then. A byte cannot tear: a writer that reads it
	 * without the estimate only writes the texts the slower way.
	 */
	private byte plainTexts;
	/** Whether the task's ids are those the library made: ASCII with nothing to escape, sized without a walk. */
	private final boolean madeTaskId;
	private final boolean madeSessionId;

	LoggedTask(TaskDraft d) {
		this.projectId = d.projectId;
		this.input = d.input;
		this.output = d.output;
		this.clientCreatedAt = d.clientCreatedAt;
		this.lastUpdate = d.lastUpdate;
		this.metadata = d.metadata == null || d.metadata.isEmpty() ? Map.of() : Collections.unmodifiableMap(d.metadata);
		this.sessionId = d.madeSessionId ? null : d.sessionId;
		this.taskId = d.madeTaskId ? null : d.taskId;
		this.sessionHi = d.sessionHi;
		this.sessionLo = d.sessionLo;
		this.taskHi = d.taskHi;
		this.taskLo = d.taskLo;
		this.versionId = d.versionId;
		this.userId = d.userId;
		this.testId = d.testId;
		this.flag = d.flag;
		this.rawInput = d.rawInput;
		this.rawInputTypeName = d.rawInputTypeName;
		this.rawOutput = d.rawOutput;
		this.rawOutputTypeName = d.rawOutputTypeName;
		this.environment = d.environment;
		this.systemPrompt = d.systemPrompt;
		this.model = d.model;
		this.usage = d.usage == null || d.usage.isEmpty() ? Map.of() : Collections.unmodifiableMap(d.usage);
		this.truncated = d.truncated;
		this.extras = d.extras == null || d.extras.isEmpty() ? Map.of() : Collections.unmodifiableMap(d.extras);
		this.madeTaskId = d.madeTaskId;
		this.madeSessionId = d.madeSessionId;
	}

	/**
	 * The task of two texts that {@code TaskBuilder} makes without a draft ({@code texts}): every field
	 * as the draft would hold it for them, the ids made by the library from these bits.
	 */
	LoggedTask(PhosphoOptions options, String input, @Nullable String output, boolean raw, long clientCreatedAt,
			long sessionHi, long sessionLo, long taskHi, long taskLo) {
		this.projectId = options.projectId();
		this.input = input;
		this.output = output;
		this.clientCreatedAt = clientCreatedAt;
		this.lastUpdate = null;
		this.metadata = Map.of();
		this.sessionId = null;
		this.taskId = null;
		this.sessionHi = sessionHi;
		this.sessionLo = sessionLo;
		this.taskHi = taskHi;
		this.taskLo = taskLo;
		this.versionId = options.versionId();
		this.userId = null;
		this.testId = options.testId();
		this.flag = null;
		this.rawInput = raw ? input : null;
		this.rawInputTypeName = TaskBuilder.typeName(input);
		this.rawOutput = raw ? output : null;
		this.rawOutputTypeName = TaskBuilder.typeName(output);
		this.environment = options.environment();
		this.systemPrompt = null;
		this.model = null;
		this.usage = Map.of();
		this.truncated = false;
		this.extras = Map.of();
		this.madeTaskId = true;
		this.madeSessionId = true;
	}

	public @Nullable String projectId() {
		return projectId;
	}

	/** The extracted input text; never null. */
	public String input() {
		return input;
	}

	/** The extracted output text; {@code null} when the task has no output. */
	public @Nullable String output() {
		return output;
	}

	/** UNIX seconds when the task was logged, or when its stream was subscribed. */
	public long clientCreatedAt() {
		return clientCreatedAt;
	}

	/** UNIX seconds of the last streamed chunk; {@code null} for a task that was not streamed. */
	public @Nullable Long lastUpdate() {
		return lastUpdate;
	}

	/** The metadata, stream facts included ({@code stream_status}, {@code chunk_count}, ...). */
	public Map<String, Object> metadata() {
		return metadata;
	}

	public String sessionId() {
		String s = sessionId;
		if (s == null) {
			// An id the library made: its text, written once (racing readers write the same text).
			s = Ids.sessionId(sessionHi, sessionLo);
			sessionId = s;
		}
		return s;
	}

	public String taskId() {
		String s = taskId;
		if (s == null) {
			s = Ids.taskId(taskHi, taskLo);
			taskId = s;
		}
		return s;
	}

	public String versionId() {
		return versionId;
	}

	public @Nullable String userId() {
		return userId;
	}

	/** The {@code test_id}: from {@link PhosphoContext#test}, else {@link PhosphoOptions#testId()}. */
	public @Nullable String testId() {
		return testId;
	}

	public @Nullable Flag flag() {
		return flag;
	}

	/** The input as sent in {@code raw_input}: a map, a string, or a list of either. */
	public @Nullable Object rawInput() {
		return rawInput;
	}

	public @Nullable String rawInputTypeName() {
		return rawInputTypeName;
	}

	/** The output as sent in {@code raw_output}; the list of chunks for a stream. */
	public @Nullable Object rawOutput() {
		Object r = rawOutput;
		return r instanceof DeferredChunks d ? d.get() : r;
	}

	public @Nullable String rawOutputTypeName() {
		return rawOutputTypeName;
	}

	public String environment() {
		return environment;
	}

	public @Nullable String systemPrompt() {
		return systemPrompt;
	}

	public @Nullable String model() {
		return model;
	}

	/**
	 * Every token usage field the provider gave, sent as top-level keys of the event as the Python
	 * SDK does: OpenAI's {@code prompt_tokens}, {@code completion_tokens}, {@code total_tokens} and
	 * {@code *_details}; Anthropic's {@code input_tokens}, {@code output_tokens}, ...; for Ollama,
	 * {@code prompt_tokens}, {@code completion_tokens} and {@code total_tokens} derived from its
	 * {@code prompt_eval_count} and {@code eval_count}, then those counts and its durations. Empty
	 * when the output had no usage.
	 */
	public Map<String, Object> usage() {
		return usage;
	}

	/** {@code prompt_tokens}, else Anthropic's {@code input_tokens}; {@code null} when neither was given. */
	public @Nullable Long promptTokens() {
		return count("prompt_tokens", "input_tokens");
	}

	/** {@code completion_tokens}, else Anthropic's {@code output_tokens}; {@code null} when neither was given. */
	public @Nullable Long completionTokens() {
		return count("completion_tokens", "output_tokens");
	}

	/** {@code total_tokens}, else the sum of Anthropic's {@code input_tokens} and {@code output_tokens}. */
	public @Nullable Long totalTokens() {
		Long total = count("total_tokens", "total_tokens");
		if (total == null && usage.get("input_tokens") instanceof Number in && usage.get("output_tokens") instanceof Number out) {
			return in.longValue() + out.longValue();
		}
		return total;
	}

	private @Nullable Long count(String key, String alternative) {
		Object v = usage.get(key);
		if (v == null) {
			v = usage.get(alternative);
		}
		return v instanceof Number n ? n.longValue() : null;
	}

	/**
	 * Whether anything was cut to {@link PhosphoOptions#maxFieldChars()}: the input, output, system
	 * prompt, a raw value, the chunks of a stream, the metadata or the extra keys.
	 */
	public boolean truncated() {
		Object r = rawOutput;
		if (r instanceof DeferredChunks d) {
			// The chunks are measured when they are written: on first read.
			return truncated || d.truncated();
		}
		return truncated;
	}

	/** The extra top-level keys set with {@link TaskLog#put(String, Object)}. */
	public Map<String, Object> extras() {
		return extras;
	}

	/** The JSON event exactly as exported, keys in wire order, without keys that have no value. */
	public Map<String, Object> toMap() {
		Map<String, Object> m = new LinkedHashMap<>();
		EventWriter.visit(this, new EventWriter.Visitor() {
			@Override
			public void field(String name, @Nullable Object value) {
				m.put(name, value);
			}
		});
		return Collections.unmodifiableMap(m);
	}

	/**
	 * A builder holding this task, for a {@link TaskRedactor} to return a changed copy: the content
	 * (input, output, system prompt, raw values, metadata, extra keys) and the user can be changed;
	 * ids, timings, model and usage cannot.
	 */
	public Builder toBuilder() {
		return new Builder(this);
	}

	long estimatedSize() {
		long n = estimatedSize;
		if (n == 0) {
			long e = EventWriter.estimate(this, madeTaskId, madeSessionId);
			n = e >>> 2;
			plainTexts = (byte) (e & 3);
			estimatedSize = n;
		}
		return n;
	}

	/** The event as JSON bytes; exporters that stream write it with {@link EventWriter} instead. */
	byte[] json() {
		return EventWriter.toJson(this);
	}

	/**
	 * A copy of a task with changed content, built on the thread that calls it. Values given are
	 * copied to their plain JSON form, as {@code log} copies them.
	 */
	public static final class Builder {

		private final TaskDraft d = new TaskDraft();

		private Builder(LoggedTask t) {
			d.projectId = t.projectId;
			d.input = t.input;
			d.output = t.output;
			d.clientCreatedAt = t.clientCreatedAt;
			d.lastUpdate = t.lastUpdate;
			d.metadata = t.metadata.isEmpty() ? null : new LinkedHashMap<>(t.metadata);
			// Ids the library made are copied as their bits: the text stays unwritten until read.
			d.madeSessionId = t.madeSessionId;
			d.sessionHi = t.sessionHi;
			d.sessionLo = t.sessionLo;
			d.sessionId = t.madeSessionId ? "" : t.sessionId();
			d.madeTaskId = t.madeTaskId;
			d.taskHi = t.taskHi;
			d.taskLo = t.taskLo;
			d.taskId = t.madeTaskId ? "" : t.taskId();
			d.versionId = t.versionId;
			d.userId = t.userId;
			d.testId = t.testId;
			d.flag = t.flag;
			d.rawInput = t.rawInput;
			d.rawInputTypeName = t.rawInputTypeName;
			d.rawOutput = t.rawOutput;
			d.rawOutputTypeName = t.rawOutputTypeName;
			d.environment = t.environment;
			d.systemPrompt = t.systemPrompt;
			d.model = t.model;
			d.usage = t.usage.isEmpty() ? null : new LinkedHashMap<>(t.usage);
			d.truncated = t.truncated;
			d.extras = t.extras.isEmpty() ? null : new LinkedHashMap<>(t.extras);
		}

		/** The input text; the backend requires a string, so {@code ""} rather than nothing. */
		public Builder input(String input) {
			d.input = Objects.requireNonNull(input, "input");
			return this;
		}

		public Builder output(@Nullable String output) {
			d.output = output;
			return this;
		}

		public Builder systemPrompt(@Nullable String systemPrompt) {
			d.systemPrompt = systemPrompt;
			return this;
		}

		/** The {@code raw_input}; {@code null} leaves it out. */
		public Builder rawInput(@Nullable Object rawInput) {
			d.rawInput = Plain.of(rawInput);
			return this;
		}

		/** The {@code raw_output}; {@code null} leaves it out. */
		public Builder rawOutput(@Nullable Object rawOutput) {
			if (d.rawOutput instanceof DeferredChunks chunks && chunks.truncated()) {
				// A stream's chunks left out for the cap stay said when its raw output is replaced
				// (by a TaskMasker's masked copy of what was kept, as a rule).
				d.truncated = true;
			}
			d.rawOutput = Plain.of(rawOutput);
			return this;
		}

		/** Replaces the whole metadata. */
		public Builder metadata(Map<String, ?> metadata) {
			d.metadata = plainMap(Objects.requireNonNull(metadata, "metadata"));
			return this;
		}

		/** Replaces the extra top-level keys (those of {@link TaskLog#put}). */
		public Builder extras(Map<String, ?> extras) {
			d.extras = plainMap(Objects.requireNonNull(extras, "extras"));
			return this;
		}

		public Builder userId(@Nullable String userId) {
			d.userId = userId;
			return this;
		}

		public LoggedTask build() {
			return d.build();
		}

		private static Map<String, Object> plainMap(Map<String, ?> map) {
			Map<String, Object> m = new LinkedHashMap<>();
			map.forEach((k, v) -> m.put(Objects.requireNonNull(k, "a key of the map"), Plain.of(v)));
			return m;
		}
	}

	@Override
	public String toString() {
		return "LoggedTask{taskId=" + taskId() + ", sessionId=" + sessionId() + ", input=" + abbreviate(input)
				+ ", output=" + (output == null ? null : abbreviate(output)) + '}';
	}

	private static String abbreviate(String s) {
		return s.length() <= 80 ? '"' + s + '"' : '"' + s.substring(0, 77) + "...\"(" + s.length() + " chars)";
	}
}
